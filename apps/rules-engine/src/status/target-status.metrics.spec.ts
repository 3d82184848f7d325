import type { TargetStatus } from '@surge/contracts';
import { emptyState, observeSamples } from '@surge/decision-core';
import { at, testPolicy } from '@surge/decision-core/testing';
import { MetricsRegistry } from '@surge/service-kit';
import { describe, expect, it } from 'vitest';
import { buildTargetStatus } from './target-status';
import { TargetStatusMetrics } from './target-status.metrics';
import type { TargetStatusReader } from './target-status.reader';

const METRICS = [
  { metric: 'cpu_utilization', target: { type: 'Utilization', averageUtilization: 50 } },
  { metric: 'http_p95_ms', target: { type: 'Value', value: 200 } },
];

/** A target at 2 replicas whose samples came from `pods` pods, one after another, as a labelled series each would. */
function statusOf(id: string, pods = 1): TargetStatus {
  const samples = [{ metric: 'replicas', value: 2, timestamp: at(0) }];
  for (let pod = 0; pod < pods; pod++)
    samples.push(
      { metric: 'cpu_utilization', value: 100, timestamp: at(50) + pod },
      {
        metric: 'http_p95_ms',
        value: 300,
        timestamp: at(50) + pod,
      },
    );
  const state = observeSamples(emptyState(), samples, 'replicas');
  return buildTargetStatus({
    policy: testPolicy({ target: { id, kind: 'Deployment' }, metrics: METRICS }),
    state,
    now: at(60),
    globalPause: false,
  });
}

/** The metrics as a scrape sees them, and a reader whose answer each test sets. */
function setup() {
  const registry = new MetricsRegistry();
  const reader = { all: async (): Promise<TargetStatus[]> => [] };
  const metrics = new TargetStatusMetrics(registry, reader as unknown as TargetStatusReader);
  const scrape = async () =>
    (await registry.registry.metrics()).split('\n').filter((l) => l.startsWith('surge_target'));
  return { reader, metrics, scrape };
}

describe('TargetStatusMetrics', () => {
  it("exposes each target's current and desired values and each metric's value, target and recommendation", async () => {
    const { reader, scrape } = setup();
    reader.all = async () => [statusOf('production/api')];
    expect(await scrape()).toEqual(
      expect.arrayContaining([
        'surge_target_current{target="production/api",setting="replicas"} 2',
        'surge_target_desired{target="production/api",setting="replicas"} 4',
        'surge_target_metric_value{target="production/api",metric="cpu_utilization"} 100',
        'surge_target_metric_recommendation{target="production/api",metric="cpu_utilization"} 4',
        'surge_target_metric_value{target="production/api",metric="http_p95_ms"} 300',
        'surge_target_metric_target{target="production/api",metric="http_p95_ms"} 200',
        'surge_target_metric_recommendation{target="production/api",metric="http_p95_ms"} 3',
        'surge_target_status_errors_total 0',
      ]),
    );
  });

  it('has one series per target and per target and metric, however many samples and sources fed them', async () => {
    const { reader, scrape } = setup();
    reader.all = async () => [statusOf('production/api', 50), statusOf('production/worker', 50)];
    const lines = await scrape();
    const series = (name: string) => lines.filter((l) => l.startsWith(`${name}{`));
    expect(series('surge_target_current')).toHaveLength(2);
    expect(series('surge_target_desired')).toHaveLength(2);
    expect(series('surge_target_metric_value')).toHaveLength(4);
    expect(series('surge_target_metric_target')).toHaveLength(4);
    expect(series('surge_target_metric_recommendation')).toHaveLength(4);
  });

  it("drops a removed policy's series at the next scrape", async () => {
    const { reader, scrape } = setup();
    reader.all = async () => [statusOf('production/api'), statusOf('production/worker')];
    expect((await scrape()).filter((l) => l.includes('production/worker'))).toHaveLength(8);
    reader.all = async () => [statusOf('production/api')];
    const lines = await scrape();
    expect(lines.filter((l) => l.includes('production/worker'))).toEqual([]);
    expect(lines.filter((l) => l.includes('production/api'))).toHaveLength(8);
  });

  it('reads the state once per scrape, for all its gauges', async () => {
    const { reader, scrape } = setup();
    let reads = 0;
    reader.all = async () => (reads++, [statusOf('production/api')]);
    await scrape();
    expect(reads).toBe(1);
  });

  it('keeps no stale series and counts the error when the read fails or outlasts the timeout', async () => {
    const { reader, metrics, scrape } = setup();
    reader.all = async () => [statusOf('production/api')];
    await scrape();
    reader.all = () => Promise.reject(new Error('redis down'));
    expect(await scrape()).toEqual(expect.arrayContaining(['surge_target_status_errors_total 1']));
    expect((await scrape()).filter((l) => l.includes('production/api'))).toEqual([]);
    metrics.timeoutMs = 20;
    reader.all = () => new Promise(() => {});
    const lines = await scrape();
    expect(lines.filter((l) => l.includes('production/api'))).toEqual([]);
    expect(lines).toContain('surge_target_status_errors_total 3');
  });
});

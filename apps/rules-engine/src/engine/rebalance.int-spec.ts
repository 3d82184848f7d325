import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MetricsRegistry } from '@surge/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRulesEngineConfig } from '../config/rules-engine.config';
import { PolicyStore } from '../policies/policy-store.service';
import { type EngineInstance, EngineInstances, holdNextWrite } from '../testing/engine-instances';
import { FencedStateWrite } from '../state/fenced-state-write.error';
import { RulesEngineMetrics } from './rules-engine.metrics';

/**
 * Engine instances on one real Redis, as around a rebalance, a state loss or a forged clock. Real: Redis, the
 * repository and its fencing script, the state commit, the outbox, the evaluation, the metrics. Stand-ins: the
 * producer (it records decisions) and the policy directory (a temporary one).
 */
const prefix = `test:rebalance:${randomUUID().slice(0, 8)}:`;
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-rebalance-'));
// Event times near the wall clock: the engine refuses stamps beyond its future-skew limit.
const T0 = Date.now() - 600_000;
const at = (seconds: number) => T0 + seconds * 1000;

const config = loadRulesEngineConfig({
  ...process.env,
  SURGE_POLICIES_DIR: policiesDir,
  SURGE_RULES_REDIS_PREFIX: prefix,
  LOG_LEVEL: 'warn',
});
let policies: PolicyStore;
const engines = new EngineInstances(config, () => policies);
const instance = () => engines.instance();

async function unused(of: EngineInstance): Promise<Record<string, number>> {
  const metric = await of.registry.registry.getSingleMetric('surge_rules_samples_unused_total')!.get();
  return Object.fromEntries(metric.values.map((v) => [v.labels['reason'], v.value]));
}

const deployment = (id: string) => ({ kind: 'Deployment', id });
const envelope = (target: string, seconds: number, metrics: Record<string, number>) => [
  {
    target,
    samples: Object.entries(metrics).map(([metric, value]) => ({ metric, value, timestamp: at(seconds) })),
  },
];

beforeAll(() => {
  const policy = (name: string) => `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: ${name} }
spec:
  target: { id: rebalance/${name}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 40
  metricStaleness: 10m
  metrics:
    - { metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }
    - { metric: queue_depth, target: { type: AverageValue, averageValue: 100 } }
  # Named, so HPA's behavior defaults apply (+4 pods or doubling per 15 s) rather than its legacy path.
  behavior: {}
`;
  fs.writeFileSync(
    path.join(policiesDir, 'rebalance.yaml'),
    ['fenced', 'lost', 'future', 'same-time'].map(policy).join('---\n'),
  );
  policies = new PolicyStore(config, new RulesEngineMetrics(new MetricsRegistry()));
  policies.reload();
});

afterAll(async () => {
  await engines.close();
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe('the rules engine through a rebalance', () => {
  it("cannot overwrite its partition's new owner: the old owner's write is fenced and publishes nothing", async () => {
    const target = 'rebalance/fenced';
    const oldOwner = instance();
    const newOwner = instance();
    await newOwner.evaluator.onObservedValue(deployment(target), 'replicas', 2, at(0));

    // The old owner loads the target, then stalls (a long GC, a network partition) while the group rebalances.
    const hold = holdNextWrite(oldOwner.redis.client);
    const stale = oldOwner.evaluator.onEnvelopes(envelope(target, 1, { cpu_utilization: 100, queue_depth: 100 }));
    await hold.reached;
    await newOwner.evaluator.onEnvelopes(envelope(target, 2, { cpu_utilization: 150, queue_depth: 100 }));
    hold.release();

    await expect(stale).rejects.toBeInstanceOf(FencedStateWrite);
    expect(oldOwner.producer.published).toEqual([]);
    expect(newOwner.producer.published.map((d) => [d.from, d.to])).toEqual([[2, 6]]);
    const [stored] = await instance().state.loadMany([policies.policyFor(target)!]);
    expect(stored!.state.scaleUpEvents).toEqual([{ time: at(2), change: 4 }]);
    expect(stored!.watermarks).toEqual({ [target]: { cpu_utilization: at(2), queue_depth: at(2) } });

    // Were the partition still its own, the consumer's retry reloads the new state: the batch is older than what
    // the new owner handled, so it decides nothing and overwrites nothing.
    await oldOwner.evaluator.onEnvelopes(envelope(target, 1, { cpu_utilization: 100, queue_depth: 100 }));
    expect(oldOwner.producer.published).toEqual([]);
    const [after] = await instance().state.loadMany([policies.policyFor(target)!]);
    expect(after!.state.scaleUpEvents).toEqual([{ time: at(2), change: 4 }]);
    expect(await unused(oldOwner)).toMatchObject({ too_old: 2 });
  });

  it('after its state is lost, holds the current value for the scale-down window instead of scaling down at once', async () => {
    const target = 'rebalance/lost';
    const engine = instance();
    await engine.evaluator.onObservedValue(deployment(target), 'replicas', 10, at(0));
    await engine.evaluator.onEnvelopes(envelope(target, 1, { cpu_utilization: 50, queue_depth: 1000 }));
    expect(engine.producer.published).toEqual([]);
    // Redis restarted without persistence: the target's state and fence are gone; the executor's next report
    // of the observed value arrives.
    await engine.redis.client.del(`${prefix}target:${target}`, `${prefix}fence:${target}`);
    await engine.evaluator.onObservedValue(deployment(target), 'replicas', 10, at(2));
    await engine.evaluator.onEnvelopes(envelope(target, 3, { cpu_utilization: 5, queue_depth: 10 }));
    await engine.evaluator.onEnvelopes(envelope(target, 200, { cpu_utilization: 5, queue_depth: 10 }));
    expect(engine.producer.published).toEqual([]);
    // The default scale-down window (300 s) counts from the first evaluation after the loss.
    await engine.evaluator.onEnvelopes(envelope(target, 304, { cpu_utilization: 5, queue_depth: 10 }));
    expect(engine.producer.published.map((d) => [d.from, d.to, d.direction])).toEqual([[10, 1, 'down']]);
  });
});

describe('time a source cannot use against a target', () => {
  it('refuses a sample stamped beyond the future-skew limit, so the genuine ones after it still decide', async () => {
    const target = 'rebalance/future';
    const engine = instance();
    await engine.evaluator.onObservedValue(deployment(target), 'replicas', 2, at(0));
    const fiveMinutesAhead = (Date.now() + 290_000 - T0) / 1000;
    await engine.evaluator.onEnvelopes(envelope(target, fiveMinutesAhead, { cpu_utilization: 50, queue_depth: 200 }));
    await engine.evaluator.onEnvelopes(envelope(target, 10, { cpu_utilization: 150, queue_depth: 200 }));
    expect(engine.producer.published.map((d) => [d.from, d.to])).toEqual([[2, 6]]);
    expect(await unused(engine)).toMatchObject({ future: 2 });
  });

  it('uses a second request with other metrics at the same timestamp, and counts a metric no policy reads', async () => {
    const target = 'rebalance/same-time';
    const engine = instance();
    await engine.evaluator.onObservedValue(deployment(target), 'replicas', 2, at(0));
    await engine.evaluator.onEnvelopes(envelope(target, 10, { cpu_utilization: 50, label_soup_1: 1 }));
    await engine.evaluator.onEnvelopes(envelope(target, 10, { queue_depth: 600, label_soup_2: 1 }));
    expect(engine.producer.published.map((d) => [d.from, d.to])).toEqual([[2, 6]]);
    const [stored] = await engine.state.loadMany([policies.policyFor(target)!]);
    expect(Object.keys(stored!.state.samples).sort()).toEqual(['cpu_utilization', 'queue_depth', 'replicas']);
    expect(await unused(engine)).toMatchObject({ unread: 2 });
  });
});

import { readFileSync } from 'node:fs';
import { TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import { ExecutorRegistry } from '@surge/executor-framework';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

const OUTAGE_MS = 5_000;
const SCALE_PATH = '/apis/apps/v1/namespaces/shop/deployments/web/scale';

/**
 * An API server answering 503 for longer than the apply retries last is a dependency outage: the decision waits
 * (partition held, executor not ready) and is applied once when the API is back, unless it went stale meanwhile.
 */
describe('executor-k8s during a Kubernetes API outage', () => {
  const api = new KubeApiStandIn();
  let bed: ExecutorTestBed;
  let catalog: TargetCatalog;

  beforeAll(async () => {
    await api.start();
    process.env['TEST_KUBECONFIG_OUTAGE'] = readFileSync(api.writeKubeconfig(), 'utf8');
    catalog = new TargetCatalog(
      targetsFileSchema.parse({
        namespaces: ['shop'],
        targets: [
          {
            id: 'shop/web',
            kind: 'Deployment',
            connection: { env: 'TEST_KUBECONFIG_OUTAGE' },
            bounds: { replicas: { min: 1, max: 10 } },
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    await api.stop();
  });
  afterEach(async () => {
    api.down = false;
    await bed?.stop();
  });

  const registry = () => new ExecutorRegistry().register(new KubernetesScaleAdapter());
  const patches = () => api.requests.filter((r) => r.method === 'PATCH' && r.path === SCALE_PATH);
  const notReady = async () => {
    const report = await bed.health.report();
    return !report.ready && !!report.checks['kafka-consumers']?.error?.includes('waiting for a dependency');
  };
  const ready = async () => (await bed.health.report()).ready;
  /** bed.waitFor probes synchronously; readiness is asked asynchronously. */
  const until = async (what: string, probe: () => Promise<boolean>, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('holds the decision through 5 s of 503 and applies it once when the API answers again', async () => {
    api.addWorkload('shop', 'Deployment', 'web', 2);
    api.requests.length = 0;
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog);
    api.down = true;
    const downSince = Date.now();
    const decision = bed.decision({ target: { kind: 'Deployment', id: 'shop/web' }, from: 2, to: 5 });
    await bed.produce(decision);

    await until('the executor not ready', notReady);
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downSince))));
    // Well past the apply retries (four attempts within a second): still no result, and no write reached the API.
    expect(bed.resultsFor(decision.decisionId)).toEqual([]);
    expect(patches()).toHaveLength(0);
    expect(api.requests.filter((r) => r.path === SCALE_PATH).length).toBeGreaterThan(4);
    api.down = false;

    const applied = await bed.waitFor('applied', () => bed.resultsFor(decision.decisionId)[0]);
    expect(applied).toMatchObject({ status: 'applied', before: 2, after: 5, verified: true, error: null });
    await until('the executor ready again', ready);
    // Give a second, wrongly repeated attempt time to show.
    await new Promise((r) => setTimeout(r, 1000));
    expect(bed.resultsFor(decision.decisionId)).toHaveLength(1);
    expect(bed.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(patches()).toHaveLength(1);
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(5);
  });

  it('ends a decision that aged past its limit while held as stale, without applying it late', async () => {
    api.addWorkload('shop', 'Deployment', 'web', 2);
    api.requests.length = 0;
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog, { maxAgeMs: 2_000 });
    api.down = true;
    const decision = bed.decision({ target: { kind: 'Deployment', id: 'shop/web' }, from: 2, to: 7 });
    await bed.produce(decision);
    await until('the executor not ready', notReady);
    await new Promise((r) => setTimeout(r, 3_000));
    api.down = false;

    const stale = await bed.waitFor('stale', () => bed.resultsFor(decision.decisionId)[0]);
    expect(stale.status).toBe('stale');
    expect(stale.error).toContain('over the 2000 ms limit');
    await new Promise((r) => setTimeout(r, 500));
    expect(bed.resultsFor(decision.decisionId)).toHaveLength(1);
    expect(patches()).toHaveLength(0);
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(2);
  });
});

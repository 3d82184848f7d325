import { readFileSync } from 'node:fs';
import { TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import { ExecutorRegistry } from '@surge/executor-framework';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

/**
 * `applied` means ready: through Kafka and Redis, against the apps/v1 stand-in whose pods become ready after a
 * delay, or never, the executor waits for the workload's readyReplicas and observed generation before reporting.
 */
describe('executor-k8s: a change is applied once its pods are ready, not-ready after the target timeout', () => {
  const api = new KubeApiStandIn();
  let bed: ExecutorTestBed;
  const connection = { env: 'READINESS_KUBECONFIG' };
  const catalog = () =>
    new TargetCatalog(
      targetsFileSchema.parse({
        targets: [
          { id: 'shop/slow', kind: 'Deployment', connection, bounds: { min: 1, max: 20 } },
          { id: 'shop/db', kind: 'StatefulSet', connection, bounds: { min: 1, max: 20 } },
          { id: 'shop/stuck', kind: 'Deployment', connection, bounds: { min: 1, max: 20 }, readyTimeoutSeconds: 2 },
        ],
      }),
    );
  const registry = () => new ExecutorRegistry().register(new KubernetesScaleAdapter());
  const reads = (path: string) => api.requests.filter((r) => r.method === 'GET' && r.path === path);

  beforeAll(async () => {
    await api.start();
    process.env['READINESS_KUBECONFIG'] = readFileSync(api.writeKubeconfig(), 'utf8');
    api.addWorkload('shop', 'Deployment', 'slow', 2, { readyAfterMs: 1_500 });
    api.addWorkload('shop', 'StatefulSet', 'db', 3, { readyAfterMs: 600 });
    api.addWorkload('shop', 'Deployment', 'stuck', 2, { neverReady: true });
  });
  afterAll(() => api.stop());
  beforeEach(async () => {
    api.requests.length = 0;
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog());
  });
  afterEach(() => bed?.stop());

  it('reports applied and verified only after the new pods became ready, however long that took', async () => {
    const decision = bed.decision({ target: { kind: 'Deployment', id: 'shop/slow' }, from: 2, to: 5 });
    const sentAt = Date.now();
    await bed.produce(decision);
    const result = await bed.waitFor('result', () => bed.resultsFor(decision.decisionId)[0]);
    expect(result).toMatchObject({ status: 'applied', before: 2, after: 5, verified: true, error: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(1_500);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1_500);
    // Readiness is read from the Deployment itself, polled: the scale subresource has no readyReplicas.
    expect(reads('/apis/apps/v1/namespaces/shop/deployments/slow').length).toBeGreaterThan(1);
  });

  it('waits for a StatefulSet scale-down to finish before reporting it applied', async () => {
    const decision = bed.decision({
      target: { kind: 'StatefulSet', id: 'shop/db' },
      from: 3,
      to: 1,
      direction: 'down',
    });
    await bed.produce(decision);
    const result = await bed.waitFor('result', () => bed.resultsFor(decision.decisionId)[0]);
    expect(result).toMatchObject({ status: 'applied', before: 3, after: 1, verified: true });
    expect(result.durationMs).toBeGreaterThanOrEqual(600);
    expect(reads('/apis/apps/v1/namespaces/shop/statefulsets/db').length).toBeGreaterThan(0);
  });

  it('reports not-ready after the target timeout when the pods never become ready, the change still made', async () => {
    const decision = bed.decision({ target: { kind: 'Deployment', id: 'shop/stuck' }, from: 2, to: 6 });
    await bed.produce(decision);
    const result = await bed.waitFor('result', () => bed.resultsFor(decision.decisionId)[0]);
    expect(result).toMatchObject({ status: 'not-ready', before: 2, after: 6, verified: true });
    expect(result.durationMs).toBeGreaterThanOrEqual(2_000);
    expect(result.note).toMatch(/^not ready after 2 s: 2 of 6 ready, 6 replicas, generation 2 observed 2$/);
    expect(result.error).toBe(result.note);
    expect(api.workload('shop', 'Deployment', 'stuck')!.replicas).toBe(6);

    // The change was made: a redelivery is a duplicate, and applies nothing again.
    await bed.produce(decision);
    const again = await bed.waitFor('redelivery', () => bed.resultsFor(decision.decisionId)[1]);
    expect(again.status).toBe('duplicate');
    expect(api.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/stuck/'))).toHaveLength(1);
  });
});

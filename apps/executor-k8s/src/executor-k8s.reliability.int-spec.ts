import { readFileSync } from 'node:fs';
import { TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import { ExecutorRegistry } from '@surge/executor-framework';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

/** The executor's promises with the real Kafka and Redis, against the apps/v1 stand-in. */
describe('executor-k8s reliability', () => {
  const api = new KubeApiStandIn();
  const downApi = new KubeApiStandIn();
  let bed: ExecutorTestBed;
  let catalog: TargetCatalog;

  beforeAll(async () => {
    await api.start();
    await downApi.start();
    downApi.down = true;
    process.env['TEST_KUBECONFIG_UP'] = readFileSync(api.writeKubeconfig(), 'utf8');
    process.env['TEST_KUBECONFIG_DOWN'] = readFileSync(downApi.writeKubeconfig(), 'utf8');
    catalog = new TargetCatalog(
      targetsFileSchema.parse({
        namespaces: ['shop', 'broken'],
        targets: [
          {
            id: 'shop/web',
            kind: 'Deployment',
            connection: { env: 'TEST_KUBECONFIG_UP' },
            bounds: { replicas: { min: 2, max: 10 } },
          },
          { id: 'shop/api', kind: 'Deployment', connection: { env: 'TEST_KUBECONFIG_UP' }, bounds: { min: 1, max: 5 } },
          {
            id: 'broken/web',
            kind: 'Deployment',
            connection: { env: 'TEST_KUBECONFIG_DOWN' },
            bounds: { min: 1, max: 5 },
          },
          {
            id: 'billing/api',
            kind: 'Deployment',
            connection: { env: 'TEST_KUBECONFIG_UP' },
            bounds: { min: 1, max: 5 },
          },
        ],
      }),
    );
    api.addWorkload('shop', 'Deployment', 'web', 2);
    api.addWorkload('shop', 'Deployment', 'api', 1);
    api.addWorkload('billing', 'Deployment', 'api', 1);
  });
  afterAll(async () => {
    await api.stop();
    await downApi.stop();
  });
  afterEach(async () => {
    await bed?.stop();
  });

  const registry = () => new ExecutorRegistry().register(new KubernetesScaleAdapter());
  const patches = (path: string) => api.requests.filter((r) => r.method === 'PATCH' && r.path === path);

  it('applies a redelivered decision once: the second delivery is reported duplicate', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog);
    const decision = bed.decision({ target: { kind: 'Deployment', id: 'shop/web' }, from: 2, to: 4 });
    await bed.produce(decision);
    const applied = await bed.waitFor('applied', () => bed.resultsFor(decision.decisionId)[0]);
    expect(applied).toMatchObject({ status: 'applied', before: 2, after: 4, verified: true, error: null });

    // A fresh consumer group reads the topic from the start: what a crash before the offset commit looks like.
    await bed.stopRuntimes();
    await bed.startRuntime(registry(), catalog, { groupId: `test-${bed.run}-restarted` });
    const again = await bed.waitFor('second result', () => bed.resultsFor(decision.decisionId)[1]);
    expect(again.status).toBe('duplicate');
    expect(bed.resultsFor(decision.decisionId).filter((r) => r.status === 'applied')).toHaveLength(1);
    expect(patches('/apis/apps/v1/namespaces/shop/deployments/web/scale')).toHaveLength(1);
  });

  it('dead-letters a malformed decision and still applies the next one', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog);
    const next = bed.decision({ target: { kind: 'Deployment', id: 'shop/api' }, from: 1, to: 3 });
    await bed.produce(
      '{"schemaVersion":1,"decisionId":"x"',
      { ...bed.decision({ target: { kind: 'Deployment', id: 'shop/api' }, to: 2 }), to: 'many' } as never,
      next,
    );
    const applied = await bed.waitFor('next applied', () => bed.resultsFor(next.decisionId)[0]);
    expect(applied).toMatchObject({ status: 'applied', before: 1, after: 3 });
    await bed.waitFor('two dead letters', () => bed.deadLetters.length >= 2);
    expect(bed.deadLetters.map((d) => d.reason).sort()).toEqual(['invalid-json', 'schema-violation']);
    expect(bed.results).toHaveLength(1);
  });

  it('holds the decision of a target whose API is down, and lets another target in the same partition through', async () => {
    bed = new ExecutorTestBed(1);
    await bed.start();
    await bed.startRuntime(registry(), catalog);
    const broken = bed.decision({ target: { kind: 'Deployment', id: 'broken/web' }, to: 3 });
    const healthy = bed.decision({
      target: { kind: 'Deployment', id: 'shop/web' },
      from: 4,
      to: 6,
      eventTime: Date.now() + 1,
    });
    await bed.produce(broken, healthy);
    const ok = await bed.waitFor('healthy applied', () => bed.resultsFor(healthy.decisionId)[0]);
    expect(ok.status).toBe('applied');
    expect(ok.durationMs).toBeLessThan(1000);
    const scaleReads = () =>
      downApi.requests.filter((r) => r.path === '/apis/apps/v1/namespaces/broken/deployments/web/scale');
    // The batch is redelivered while the API stays down: past one round of apply retries (four reads), no result.
    await bed.waitFor('a redelivery', () => scaleReads().length > 8);
    expect(bed.resultsFor(broken.decisionId)).toEqual([]);
    expect(scaleReads().every((r) => r.method === 'GET')).toBe(true);
    const report = await bed.health.report();
    expect(report.ready).toBe(false);
    expect(report.checks['kafka-consumers']?.error).toContain('HTTP 503');
    // The decision applied beside it is not reported again at each redelivery.
    expect(bed.resultsFor(healthy.decisionId)).toHaveLength(1);
  });

  it('holds bounds and the allowlist against hostile decisions', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog);
    const negative = bed.decision({
      target: { kind: 'Deployment', id: 'shop/web' },
      from: 6,
      to: -50,
      eventTime: Date.now() - 5,
    });
    const huge = bed.decision({ target: { kind: 'Deployment', id: 'shop/api' }, from: 3, to: 1e9 });
    const foreign = bed.decision({ target: { kind: 'Deployment', id: 'billing/api' }, to: 4 });
    const unknown = bed.decision({ target: { kind: 'Deployment', id: 'shop/ghost' }, to: 4 });
    await bed.produce(negative, huge, foreign, unknown);
    await bed.waitFor('four results', () => bed.results.length >= 4);
    expect(bed.resultsFor(negative.decisionId)[0]).toMatchObject({
      status: 'applied',
      after: 2,
      note: 'clamped from -50 to 2 by bounds [2, 10]',
    });
    expect(bed.resultsFor(huge.decisionId)[0]).toMatchObject({
      status: 'applied',
      after: 5,
      note: 'clamped from 1000000000 to 5 by bounds [1, 5]',
    });
    expect(bed.resultsFor(foreign.decisionId)[0]).toMatchObject({
      status: 'rejected',
      error: 'namespace of billing/api is not in the allowlist',
    });
    expect(bed.resultsFor(unknown.decisionId)[0]).toMatchObject({
      status: 'rejected',
      error: 'unknown target shop/ghost',
    });
    expect(api.requests.some((r) => r.path.includes('/namespaces/billing/'))).toBe(false);
    expect(api.workload('billing', 'Deployment', 'api')!.replicas).toBe(1);
  });
});

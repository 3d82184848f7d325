import { readFileSync } from 'node:fs';
import type { ActionResult } from '@surge/contracts';
import { TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import { ExecutorRegistry } from '@surge/executor-framework';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { type PrivateRedis, startPrivateRedis } from '@surge/harness';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

/**
 * Check before act, the change guardrails and idempotence through a Redis loss, on the real Kafka, against the
 * apps/v1 stand-in. The executor's records live in a private Redis of this spec's own, which it flushes.
 */
describe('executor-k8s: executors check before they act, and survive losing Redis', () => {
  const api = new KubeApiStandIn();
  let redis: PrivateRedis;
  let bed: ExecutorTestBed;
  const catalog = () =>
    new TargetCatalog(
      targetsFileSchema.parse({
        targets: [
          { id: 'shop/web', kind: 'Deployment', connection: { env: 'TRUST_KUBECONFIG' }, bounds: { min: 1, max: 20 } },
          {
            id: 'shop/guarded',
            kind: 'Deployment',
            connection: { env: 'TRUST_KUBECONFIG' },
            bounds: { min: 1, max: 20 },
            guardrails: { maxStep: { absolute: 3 }, minIntervalSeconds: 300 },
          },
        ],
      }),
    );
  const registry = () => new ExecutorRegistry().register(new KubernetesScaleAdapter());
  const patches = (name: string) =>
    api.requests.filter(
      (r) => r.method === 'PATCH' && r.path === `/apis/apps/v1/namespaces/shop/deployments/${name}/scale`,
    );
  const finalResults = (decisionId: string): ActionResult[] =>
    bed.resultsFor(decisionId).filter((r) => r.status !== 'duplicate');
  const web = { kind: 'Deployment', id: 'shop/web' };
  const guarded = { kind: 'Deployment', id: 'shop/guarded' };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    await api.start();
    process.env['TRUST_KUBECONFIG'] = readFileSync(api.writeKubeconfig(), 'utf8');
  });
  afterAll(async () => {
    await api.stop();
    await redis?.stop();
  });
  beforeEach(async () => {
    api.requests.length = 0;
    api.addWorkload('shop', 'Deployment', 'web', 2);
    api.addWorkload('shop', 'Deployment', 'guarded', 2);
    bed = new ExecutorTestBed(1, undefined, redis.url);
    await bed.start();
  });
  afterEach(async () => {
    await bed?.stop();
  });

  it('refuses a decision whose from is not what the target reads: conflict, nothing changed, observed state out', async () => {
    await bed.startRuntime(registry(), catalog());
    api.workload('shop', 'Deployment', 'web')!.replicas = 7;
    const decision = bed.decision({ target: web, from: 2, to: 4 });
    await bed.produce(decision);
    const result = await bed.waitFor('result', () => bed.resultsFor(decision.decisionId)[0]);
    expect(result).toMatchObject({ status: 'conflict', before: 7, after: null });
    expect(result.error).toContain("replicas reads 7, neither the decision's from 2");
    expect(patches('web')).toHaveLength(0);
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(7);
    // The engine decides again from the truth, without waiting for the next periodic observation.
    const observed = await bed.waitFor('observed', () =>
      bed.observed.find((o) => o.decisionId === decision.decisionId),
    );
    expect(observed.settings).toEqual({ replicas: 7 });
  });

  it('reports applied, and applies nothing again, when the change was made but its result never recorded', async () => {
    const decision = bed.decision({ target: web, from: 2, to: 4 });
    // What a crashed executor left behind: the patch landed, then it died before recording or publishing a result.
    const adapter = new KubernetesScaleAdapter();
    const entry = catalog().get('shop/web')!;
    const target = { entry, connection: process.env['TRUST_KUBECONFIG']! };
    await adapter.apply(target, 'replicas', 4, { decision: decision as never, before: 2, baselines: {} as never });
    expect(patches('web')).toHaveLength(1);

    await bed.startRuntime(registry(), catalog());
    await bed.produce(decision);
    const result = await bed.waitFor('result', () => bed.resultsFor(decision.decisionId)[0]);
    expect(result).toMatchObject({ status: 'applied', before: 4, after: 4, verified: true });
    expect(result.note).toBe('replicas already read 4: nothing was changed');
    expect(patches('web')).toHaveLength(1);
  });

  it('publishes a result once when Redis failed between publishing it and recording that it was published', async () => {
    await bed.startRuntime(registry(), catalog());
    const up = bed.decision({ target: web, from: 2, to: 4 });
    await bed.produce(up);
    await bed.waitFor('up applied', () => bed.resultsFor(up.decisionId)[0]);
    // What a Redis outage right after the send leaves (the chaos suite's AOF restart found it): the result is on
    // the topic, the record still says `done`, and the batch is delivered again.
    const key = `test:executor:${bed.run}:decision:${up.decisionId}`;
    const published = async () => JSON.parse((await bed.redis.get(key)) ?? '{}') as { phase?: string };
    await expect.poll(async () => (await published()).phase, { timeout: 10_000 }).toBe('published');
    const record = await published();
    await bed.redis.set(key, JSON.stringify({ ...record, phase: 'done' }), 'PX', 60_000);
    await bed.produce(up);
    const again = await bed.waitFor('second delivery', () => bed.resultsFor(up.decisionId)[1]);
    expect(again.status).toBe('duplicate');
    expect(finalResults(up.decisionId).map((r) => r.status)).toEqual(['applied']);
    expect(patches('web')).toHaveLength(1);
  });

  it('applies once and publishes one final result when Redis is flushed between two deliveries of a decision', async () => {
    await bed.startRuntime(registry(), catalog());
    const up = bed.decision({ target: web, from: 2, to: 4 });
    await bed.produce(up);
    await bed.waitFor('up applied', () => bed.resultsFor(up.decisionId)[0]);
    const down = bed.decision({ target: web, from: 4, to: 2, direction: 'down', eventTime: up.eventTime + 1 });
    await bed.produce(down);
    await bed.waitFor('down applied', () => bed.resultsFor(down.decisionId)[0]);
    expect(patches('web')).toHaveLength(2);

    await bed.redis.flushall();
    // The first decision delivered again (an outbox replaying it): its from, 2, is what the target reads now.
    await bed.produce(up);
    const again = await bed.waitFor('second delivery', () => bed.resultsFor(up.decisionId)[1]);
    expect(again.status).toBe('duplicate');
    expect(patches('web')).toHaveLength(2);
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(2);
    expect(finalResults(up.decisionId).map((r) => r.status)).toEqual(['applied']);

    // And after a restart on a fresh group, every decision on the topic redelivered: still nothing twice.
    await bed.redis.flushall();
    await bed.stopRuntimes();
    await bed.startRuntime(registry(), catalog(), { groupId: `test-${bed.run}-after-loss` });
    await bed.waitFor(
      'redeliveries',
      () => bed.resultsFor(down.decisionId).length >= 2 && bed.resultsFor(up.decisionId).length >= 3,
    );
    expect(finalResults(up.decisionId)).toHaveLength(1);
    expect(finalResults(down.decisionId)).toHaveLength(1);
    expect(patches('web')).toHaveLength(2);
  });

  it('holds the step and interval guardrails whatever the decision says, the interval through a Redis flush', async () => {
    await bed.startRuntime(registry(), catalog());
    const leap = bed.decision({ target: guarded, from: 2, to: 12 });
    await bed.produce(leap);
    const refused = await bed.waitFor('leap', () => bed.resultsFor(leap.decisionId)[0]);
    expect(refused).toMatchObject({ status: 'rejected', before: 2 });
    expect(refused.error).toBe('guardrail maxStep: replicas 2 -> 12 is a step of 10, over the limit of 3 (absolute 3)');
    expect(patches('guarded')).toHaveLength(0);

    const step = bed.decision({ target: guarded, from: 2, to: 5 });
    await bed.produce(step);
    expect(await bed.waitFor('step', () => bed.resultsFor(step.decisionId)[0])).toMatchObject({ status: 'applied' });

    await bed.redis.flushall();
    const soon = bed.decision({ target: guarded, from: 5, to: 6 });
    await bed.produce(soon);
    const tooSoon = await bed.waitFor('soon', () => bed.resultsFor(soon.decisionId)[0]);
    expect(tooSoon).toMatchObject({ status: 'rejected', before: 5 });
    expect(tooSoon.error).toMatch(/^guardrail minIntervalSeconds: replicas was changed [\d.]+ s ago, under the 300 s/);
    expect(patches('guarded')).toHaveLength(1);
    expect(api.workload('shop', 'Deployment', 'guarded')!.replicas).toBe(5);
  });
});

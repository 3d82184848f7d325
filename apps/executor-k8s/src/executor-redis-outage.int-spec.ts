import { readFileSync } from 'node:fs';
import { TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import { ExecutorRegistry } from '@surge/executor-framework';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { type PrivateRedis, startPrivateRedis } from '@surge/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

/**
 * The executor's decision store (the idempotence claim) on a PRIVATE Redis that is killed while a decision
 * arrives. Before the fix the claim's error was retried three times and the decision dead-lettered: never applied.
 */
describe('executor through a Redis outage (private Redis, real Kafka)', () => {
  const api = new KubeApiStandIn();
  let redis: PrivateRedis;
  let bed: ExecutorTestBed;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    await api.start();
    api.addWorkload('shop', 'Deployment', 'web', 2);
    process.env['TEST_KUBECONFIG_REDIS_OUTAGE'] = readFileSync(api.writeKubeconfig(), 'utf8');
    bed = new ExecutorTestBed(1, undefined, redis.url);
    await bed.start();
  }, 60_000);

  afterAll(async () => {
    await bed?.stop();
    await api.stop();
    await redis?.stop();
  }, 60_000);

  it('holds the decision while Redis is down and applies it once when Redis is back; nothing dead-lettered', async () => {
    const catalog = new TargetCatalog(
      targetsFileSchema.parse({
        namespaces: ['shop'],
        targets: [
          {
            id: 'shop/web',
            kind: 'Deployment',
            connection: { env: 'TEST_KUBECONFIG_REDIS_OUTAGE' },
            bounds: { min: 1, max: 9 },
          },
        ],
      }),
    );
    await bed.startRuntime(new ExecutorRegistry().register(new KubernetesScaleAdapter()), catalog);
    await redis.kill9();
    const decision = bed.decision({ target: { kind: 'Deployment', id: 'shop/web' }, from: 2, to: 5 });
    await bed.produce(decision);
    // Long past the old give-up (three attempts in well under a second).
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(bed.resultsFor(decision.decisionId)).toEqual([]);
    expect(bed.deadLetters).toEqual([]);
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(2);

    await redis.restart();
    const result = await bed.waitFor(
      'the result after Redis is back',
      () => bed.resultsFor(decision.decisionId)[0],
      30_000,
    );
    expect(result).toMatchObject({ status: 'applied', after: 5 });
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(bed.resultsFor(decision.decisionId)).toHaveLength(1);
    expect(bed.deadLetters).toEqual([]);
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  }, 90_000);
});

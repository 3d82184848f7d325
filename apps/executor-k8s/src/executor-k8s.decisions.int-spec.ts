import { readFileSync } from 'node:fs';
import { actionResultFor, DecisionStore, ExecutorRegistry, GuardrailSwitch } from '@surge/executor-framework';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { supersessionKey, TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import { scaleDecision } from '@surge/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

/** Idempotence, supersession, age and dry run, end to end through Kafka and Redis against the apps/v1 stand-in. */
describe('executor-k8s decision handling', () => {
  const api = new KubeApiStandIn();
  let bed: ExecutorTestBed;
  let catalog: TargetCatalog;
  const registry = () => new ExecutorRegistry().register(new KubernetesScaleAdapter());
  const patchesOf = (name: string) =>
    api.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/deployments/${name}/scale`));

  beforeAll(async () => {
    await api.start();
    process.env['TEST_KUBECONFIG_DECISIONS'] = readFileSync(api.writeKubeconfig(), 'utf8');
    const names = ['crash', 'batch', 'old', 'dry', 'hpa', 'newer', 'legacy'];
    catalog = new TargetCatalog(
      targetsFileSchema.parse({
        targets: names.map((name) => ({
          id: `shop/${name}`,
          kind: 'Deployment',
          connection: { env: 'TEST_KUBECONFIG_DECISIONS' },
          bounds: { min: 1, max: 20 },
        })),
      }),
    );
    for (const name of names) api.addWorkload('shop', 'Deployment', name, 2);
    api.hpas.push({ namespace: 'shop', name: 'hpa-web', kind: 'Deployment', targetName: 'hpa' });
  });
  afterAll(() => api.stop());
  afterEach(() => bed?.stop());

  it('publishes the stored result, without touching the target, when a crash came between applying and publishing', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    const decision = scaleDecision.parse(
      bed.decision({ target: { kind: 'Deployment', id: 'shop/crash' }, from: 2, to: 7 }),
    );
    // What the crashed executor left in Redis: a final result recorded but never published.
    const store = new DecisionStore(bed.redis, `test:executor:${bed.run}`, 60_000);
    await store.begin(decision.decisionId, supersessionKey(decision), Date.now());
    await store.complete(
      actionResultFor(decision, 'test-executor', {
        status: 'applied',
        before: 2,
        after: 7,
        verified: true,
        startedAt: Date.now() - 5,
      }),
      supersessionKey(decision),
      decision.eventTime,
    );
    await bed.startRuntime(registry(), catalog);
    await bed.produce(decision);
    const result = await bed.waitFor('republished', () => bed.resultsFor(decision.decisionId)[0]);
    expect(result).toMatchObject({ status: 'applied', before: 2, after: 7 });
    expect(api.requests.filter((r) => r.path.includes('/crash/'))).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(bed.resultsFor(decision.decisionId)).toHaveLength(1);
    expect(await store.get(decision.decisionId)).toMatchObject({ phase: 'published' });
  });

  it('rebuilds a decision record it cannot read instead of taking it for handled: the decision is applied once', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    const decision = scaleDecision.parse(
      bed.decision({ target: { kind: 'Deployment', id: 'shop/newer' }, from: 2, to: 5 }),
    );
    // A record in a shape this release does not know (a newer release's, or a damaged value), and no result on the
    // actions topic: read as it stands, it has no phase this release knows and would pass for a handled decision.
    const prefix = `test:executor:${bed.run}`;
    await bed.redis.set(`${prefix}:records-intact`, String(Date.now()), 'PX', 60_000);
    await bed.redis.set(
      `${prefix}:decision:${decision.decisionId}`,
      JSON.stringify({ schemaVersion: 99, state: 'x' }),
      'PX',
      60_000,
    );
    await bed.startRuntime(registry(), catalog);
    await bed.produce(decision);
    const result = await bed.waitFor('result', () => bed.resultsFor(decision.decisionId)[0]);
    expect(result).toMatchObject({ status: 'applied', before: 2, after: 5 });
    expect(patchesOf('newer')).toHaveLength(1);
    const store = new DecisionStore(bed.redis, prefix, 60_000);
    // Written again in this release's version once the result is published.
    const deadline = Date.now() + 20_000;
    while ((await store.get(decision.decisionId))?.phase !== 'published' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await store.get(decision.decisionId)).toMatchObject({ phase: 'published' });
    expect(bed.resultsFor(decision.decisionId)).toHaveLength(1);
  });

  it('reads a decision record written before records carried a version: a handled decision stays handled', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    const decision = scaleDecision.parse(
      bed.decision({ target: { kind: 'Deployment', id: 'shop/legacy' }, from: 2, to: 6 }),
    );
    const earlier = actionResultFor(decision, 'test-executor', {
      status: 'applied',
      before: 2,
      after: 6,
      verified: true,
      startedAt: Date.now() - 5,
    });
    const prefix = `test:executor:${bed.run}`;
    await bed.redis.set(`${prefix}:records-intact`, String(Date.now()), 'PX', 60_000);
    await bed.redis.set(
      `${prefix}:decision:${decision.decisionId}`,
      JSON.stringify({ phase: 'published', resultJson: JSON.stringify(earlier) }),
      'PX',
      60_000,
    );
    await bed.startRuntime(registry(), catalog);
    await bed.produce(decision);
    const result = await bed.waitFor('result', () => bed.resultsFor(decision.decisionId)[0]);
    expect(result).toMatchObject({ status: 'duplicate' });
    expect(patchesOf('legacy')).toEqual([]);
  });

  it('lets the newest decision per target win: older ones in the batch and late arrivals are stale', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    const now = Date.now();
    const older = bed.decision({
      target: { kind: 'Deployment', id: 'shop/batch' },
      from: 2,
      to: 3,
      eventTime: now - 2000,
    });
    const newer = bed.decision({
      target: { kind: 'Deployment', id: 'shop/batch' },
      from: 2,
      to: 5,
      eventTime: now - 1000,
    });
    // Produced before the executor starts, so both arrive in one batch.
    await bed.produce(older, newer);
    await bed.startRuntime(registry(), catalog);
    await bed.waitFor('both results', () => bed.resultsFor(older.decisionId)[0] && bed.resultsFor(newer.decisionId)[0]);
    expect(bed.resultsFor(older.decisionId)[0]).toMatchObject({
      status: 'stale',
      error: 'superseded by a newer decision in the same batch',
    });
    expect(bed.resultsFor(newer.decisionId)[0]).toMatchObject({ status: 'applied', after: 5 });

    const late = bed.decision({
      target: { kind: 'Deployment', id: 'shop/batch' },
      from: 5,
      to: 9,
      eventTime: now - 1500,
    });
    await bed.produce(late);
    expect(await bed.waitFor('late', () => bed.resultsFor(late.decisionId)[0])).toMatchObject({
      status: 'stale',
      error: `superseded by a decision with eventTime ${now - 1000}`,
    });
    expect(patchesOf('batch')).toHaveLength(1);
    expect(api.workload('shop', 'Deployment', 'batch')!.replicas).toBe(5);
  });

  it('reports a decision published longer ago than the max age stale, and a dry run with the current value, without patching', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog, { maxAgeMs: 60_000 });
    const old = bed.decision({ target: { kind: 'Deployment', id: 'shop/old' }, from: 2, to: 4 });
    const dry = bed.decision({ target: { kind: 'Deployment', id: 'shop/dry' }, from: 2, to: 40, dryRun: true });
    await bed.produceAt(Date.now() - 120_000, old);
    await bed.produce(dry);
    await bed.waitFor('two results', () => bed.results.length >= 2);
    expect(bed.resultsFor(old.decisionId)[0]!.status).toBe('stale');
    expect(bed.resultsFor(old.decisionId)[0]!.error).toMatch(/^decision is \d+ ms old, over the 60000 ms limit$/);
    expect(bed.resultsFor(dry.decisionId)[0]).toMatchObject({
      status: 'dry-run',
      before: 2,
      after: 2,
      note: 'dry run: would set replicas to 20 (clamped from 40 to 20 by bounds [1, 20])',
    });
    expect(patchesOf('old')).toHaveLength(0);
    expect(patchesOf('dry')).toHaveLength(0);
  });

  it('applies a fresh decision whose eventTime comes from a replayed trace long ago', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog, { maxAgeMs: 60_000 });
    const replayed = bed.decision({
      target: { kind: 'Deployment', id: 'shop/dry' },
      from: 2,
      to: 4,
      eventTime: Date.parse('2026-03-02T08:00:00Z'),
    });
    await bed.produce(replayed);
    expect(await bed.waitFor('replayed', () => bed.resultsFor(replayed.decisionId)[0])).toMatchObject({
      status: 'applied',
      after: 4,
    });
  });

  it('rejects a Deployment an HPA already scales, with the HPA named in the result', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog);
    const decision = bed.decision({ target: { kind: 'Deployment', id: 'shop/hpa' }, from: 2, to: 6 });
    await bed.produce(decision);
    expect(await bed.waitFor('result', () => bed.resultsFor(decision.decisionId)[0])).toMatchObject({
      status: 'rejected',
      before: 2,
      error:
        'Deployment shop/hpa is already scaled by HorizontalPodAutoscaler shop/hpa-web; set allowHpaConflict to override',
    });
    expect(patchesOf('hpa')).toHaveLength(0);
  });

  it('follows a global pause and resume from the control topic', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    const guardrails = new GuardrailSwitch({ paused: false, dryRun: false });
    await bed.startRuntime(registry(), catalog, { guardrails });
    await bed.produceControl({ type: 'pause', reason: 'incident' });
    await bed.waitFor('paused', () => guardrails.current().paused);
    const held = bed.decision({ target: { kind: 'Deployment', id: 'shop/old' }, from: 2, to: 3 });
    await bed.produce(held);
    expect(await bed.waitFor('held', () => bed.resultsFor(held.decisionId)[0])).toMatchObject({
      status: 'rejected',
      error: 'executor is paused',
    });
    await bed.produceControl({ type: 'resume' });
    await bed.waitFor('resumed', () => !guardrails.current().paused);
    const next = bed.decision({ target: { kind: 'Deployment', id: 'shop/old' }, from: 2, to: 3 });
    await bed.produce(next);
    expect(await bed.waitFor('next', () => bed.resultsFor(next.decisionId)[0])).toMatchObject({
      status: 'applied',
      after: 3,
    });
  });

  it('publishes observed replicas on the observed-state topic, keyed by target, and never as samples', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog, { observeIntervalMs: 100 });
    const observation = await bed.waitFor('observed state', () => bed.observed.find((o) => o.target.id === 'shop/hpa'));
    expect(observation).toMatchObject({
      schemaVersion: 1,
      target: { kind: 'Deployment', id: 'shop/hpa' },
      executor: 'test-executor',
      settings: { replicas: 2, status_replicas: 2 },
    });
    expect(observation.decisionId).toBeUndefined();
    // A few ticks later: still nothing of a target's settings on the samples topic, which any client writes.
    await new Promise((r) => setTimeout(r, 300));
    const sampled = (bed.samples as { samples: { metric: string }[] }[]).flatMap((e) => e.samples.map((s) => s.metric));
    expect(sampled.filter((m) => m === 'replicas' || m === 'status_replicas')).toEqual([]);
  });

  it('publishes the read-back of an applied decision as observed state with its decision id', async () => {
    bed = new ExecutorTestBed();
    await bed.start();
    await bed.startRuntime(registry(), catalog);
    const decision = bed.decision({ target: { kind: 'Deployment', id: 'shop/old' }, from: 3, to: 9 });
    await bed.produce(decision);
    const result = await bed.waitFor('applied', () => bed.resultsFor(decision.decisionId)[0]);
    expect(result).toMatchObject({ status: 'applied', after: 9 });
    const readBack = await bed.waitFor('read-back', () =>
      bed.observed.find((o) => o.decisionId === decision.decisionId),
    );
    expect(readBack).toMatchObject({
      target: { kind: 'Deployment', id: 'shop/old' },
      settings: { replicas: 9 },
      observedAt: result.time,
    });
    expect(bed.samples).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type ActionResult,
  deadLetterRecord,
  type DeadLetterRecord,
  OBSERVED_STATE_SCHEMA_VERSION,
  scaleDecision,
  type ScaleDecision,
} from '@surge/contracts';
import { planResult } from '@surge/decision-core/testing';
import { runTopicEnv } from '@surge/harness';
import { signedAs } from '@surge/signing/testing';
import { Redis } from 'ioredis';
import { Kafka, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyStore } from './policies/policy-store.service';
import { startEngineApp } from './testing/engine-app';
import { decodeStoredTarget } from './state/stored-target.codec';
import { observedReplicas, waitFor } from './testing/observed-state';

/**
 * Response plans through real Kafka and Redis: a rule's plan raises its own replicas, then another target's
 * setting (a PgBouncer pool, scaled by no policy of its own). Each step waits for the executor's signed result
 * of the step before: an applied one lets the plan go on, a failed one stops it, and an unsigned or forged one
 * is dead-lettered and moves nothing.
 */
const run = randomUUID().slice(0, 8);
const topics = runTopicEnv(`test.plans.${run}`);
const prefix = `test:plans:${run}:`;
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-plan-policies-'));
const apps = { ok: `it/plan-ok-${run}`, failing: `it/plan-fail-${run}` };
const pools = { ok: `db/pool-ok-${run}`, failing: `db/pool-fail-${run}` };

const policy = (name: string, target: string, pool: string) => `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: ${name} }
spec:
  target: { id: ${target}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 40
  metricStaleness: 10m
  behavior: {}
  rules:
    - name: slow
      when: { metric: http_p95_ms, op: ">", value: 5000 }
      severity: SEV-1
      plan:
        steps:
          - { scaleBy: "+50%" }
          - { name: pool, target: { id: ${pool}, kind: PgBouncerPool }, setting: default_pool_size, scaleTo: 60 }
`;

// Event time near the wall clock, as in production: a step's result is folded in at the wall clock's time.
const T0 = Math.floor(Date.now() / 1000) * 1000;
const decisions: ScaleDecision[] = [];
const deadLetters: DeadLetterRecord[] = [];
let kafka: Kafka;
let producer: Producer;
let reader: Consumer;
let redis: Redis;
let engine: NestFastifyApplication;

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${await engine.getUrl()}/metrics`)).text();
  return Number(new RegExp(`${name} (\\d+)`).exec(text)?.[1] ?? 0);
}

/** The executors' word on the app's replicas and the pool's size, signed as they sign it, waited until folded. */
async function observe(app: string, pool: string): Promise<void> {
  const before = await metric('surge_rules_observed_states_total');
  const poolState = signedAs('executor', {
    key: pool,
    value: JSON.stringify({
      schemaVersion: OBSERVED_STATE_SCHEMA_VERSION,
      target: { kind: 'PgBouncerPool', id: pool },
      executor: 'executor-database',
      settings: { default_pool_size: 20 },
      observedAt: T0,
    }),
  });
  await producer.send({ topic: topics.SURGE_TOPIC_OBSERVED, messages: [observedReplicas(app, 4, T0), poolState] });
  await waitFor(async () => (await metric('surge_rules_observed_states_total')) >= before + 2);
}

async function breach(app: string): Promise<void> {
  const samples = [{ schemaVersion: 1, target: app, metric: 'http_p95_ms', value: 9000, timestamp: T0 + 1000 }];
  await producer.send({
    topic: topics.SURGE_TOPIC_SAMPLES,
    messages: [{ key: app, value: JSON.stringify({ schemaVersion: 1, target: app, samples }) }],
  });
}

/** What an executor reports for a decision it carried out (or failed to), the decision's plan step copied. */
function resultOf(decision: ScaleDecision, status: 'applied' | 'failed'): ActionResult {
  const error = status === 'applied' ? null : 'the API server refused the change';
  return planResult(decision, status, Date.now(), { durationMs: 12, error, executor: 'executor-k8s' });
}

const onPool = (pool: string) => () => decisions.filter((d) => d.target.id === pool);
/** The ok policy's claim field: its policy, its rule and its target, so a namesake on another target is another. */
const owner = `it-plan-ok/slow@${apps.ok}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  fs.writeFileSync(path.join(policiesDir, 'ok.yaml'), policy('it-plan-ok', apps.ok, pools.ok));
  fs.writeFileSync(path.join(policiesDir, 'failing.yaml'), policy('it-plan-fail', apps.failing, pools.failing));
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'rules-plans-test' });
  producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })) });
  await admin.disconnect();
  reader = kafka.consumer({ groupId: `test-plans-reader-${run}`, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({
    topics: [topics.SURGE_TOPIC_DECISIONS, topics.SURGE_TOPIC_DEADLETTER],
    fromBeginning: true,
  });
  await reader.run({
    eachMessage: async ({ topic, message }) => {
      const value = JSON.parse(message.value!.toString());
      if (topic === topics.SURGE_TOPIC_DECISIONS) decisions.push(scaleDecision.parse(value));
      else deadLetters.push(deadLetterRecord.parse(value));
    },
  });
  redis = new Redis(process.env.REDIS_URL!);
  engine = await startEngineApp({
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-plans-${run}`,
    SURGE_RULES_REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await reader?.disconnect();
  await producer?.disconnect();
  const keys = (await redis?.keys(`${prefix}*`)) ?? [];
  if (keys.length) await redis.del(...keys);
  redis?.disconnect();
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe('rules-engine response plans with real Kafka and Redis', () => {
  it('decides a step only once the signed result of the one before is in; unsigned and forged ones move nothing', async () => {
    await observe(apps.ok, pools.ok);
    await breach(apps.ok);
    const first = await waitFor(() => decisions.find((d) => d.target.id === apps.ok));
    expect(first).toMatchObject({
      target: { id: apps.ok, kind: 'Deployment' },
      setting: 'replicas',
      from: 4,
      to: 6,
      plan: { policyTarget: apps.ok, rule: 'slow', step: 0, phase: 'apply' },
    });
    // While the pool step waits for the replicas', the pool is claimed by nobody yet.
    expect(await redis.hgetall(`${prefix}claims:default_pool_size:${pools.ok}`)).toEqual({});

    // Whoever reaches the broker without the executors' key: unsigned, and signed with the wrong role's key.
    const value = JSON.stringify(resultOf(first, 'applied'));
    await producer.send({
      topic: topics.SURGE_TOPIC_ACTIONS,
      messages: [{ key: apps.ok, value }, signedAs('rules-engine', { key: apps.ok, value })],
    });
    const refused = await waitFor(() => {
      const mine = deadLetters.filter((r) => r.source.topic === topics.SURGE_TOPIC_ACTIONS);
      return mine.length >= 2 && mine;
    });
    expect(refused.map((r) => r.reason)).toEqual(['signature', 'signature']);
    await sleep(1000);
    expect(onPool(pools.ok)()).toEqual([]);

    await producer.send({
      topic: topics.SURGE_TOPIC_ACTIONS,
      messages: [signedAs('executor', { key: apps.ok, value })],
    });
    const [second] = await waitFor(() => onPool(pools.ok)().length > 0 && onPool(pools.ok)());
    expect(second).toMatchObject({
      target: { id: pools.ok, kind: 'PgBouncerPool' },
      setting: 'default_pool_size',
      from: 20,
      to: 60,
      plan: { runId: first.plan!.runId, policyTarget: apps.ok, rule: 'slow', step: 1, phase: 'apply' },
    });
    // Decided, the pool step holds the pool at 60 or more for everyone else, until the run lets go.
    // Written once the state that holds it is stored, just after the decision is published.
    const claims = await waitFor(async () => {
      const fields = await redis.hgetall(`${prefix}claims:default_pool_size:${pools.ok}`);
      return Object.keys(fields).length > 0 && fields;
    });
    expect(Object.keys(claims)).toEqual([owner]);
    expect(JSON.parse(claims[owner]!)).toMatchObject({ value: 60, direction: 'floor', policyTarget: apps.ok });
    // It lasts as long as its owner keeps committing: an owner gone for good stops holding.
    expect(JSON.parse(claims[owner]!).expiresAt).toBeGreaterThan(Date.now());
    expect(await redis.pttl(`${prefix}claims:default_pool_size:${pools.ok}`)).toBeGreaterThan(0);

    // A redelivered result is of a step no longer awaited: nothing more is decided.
    await producer.send({
      topic: topics.SURGE_TOPIC_ACTIONS,
      messages: [signedAs('executor', { key: apps.ok, value })],
    });
    await sleep(1000);
    expect(decisions.filter((d) => d.plan?.runId === first.plan!.runId)).toHaveLength(2);
  }, 90_000);

  it('stops the run at a failed step: the next step is never decided', async () => {
    await observe(apps.failing, pools.failing);
    await breach(apps.failing);
    const first = await waitFor(() => decisions.find((d) => d.target.id === apps.failing));
    expect(first.plan).toMatchObject({ step: 0, phase: 'apply' });
    const handled = await metric('surge_rules_plan_results_total');
    const value = JSON.stringify(resultOf(first, 'failed'));
    await producer.send({
      topic: topics.SURGE_TOPIC_ACTIONS,
      messages: [signedAs('executor', { key: apps.failing, value })],
    });
    await waitFor(async () => (await metric('surge_rules_plan_results_total')) > handled);
    await sleep(3000);
    expect(onPool(pools.failing)()).toEqual([]);
    const raw = await redis.get(`${prefix}target:${apps.failing}`);
    const run = decodeStoredTarget(raw!).stored!.state.plans!['slow']!;
    expect(run).toMatchObject({ phase: 'stopped', runId: first.plan!.runId });
    expect(run.reason).toContain('failed');
    expect(await redis.hgetall(`${prefix}claims:default_pool_size:${pools.failing}`)).toEqual({});
  }, 90_000);

  it('drops stale claims on a reload, rebuilds held ones from the run state, and drops them when dry-run', async () => {
    const key = `${prefix}claims:default_pool_size:${pools.ok}`;
    const held = JSON.parse((await redis.hget(key, owner))!);
    const stale = (field: string, changes: object) =>
      redis.hset(key, field, JSON.stringify({ ...held, owner: field, ...changes }));
    // A policy no longer in force, a rule renamed, a namesake on a target with no such policy, an expired hold.
    await stale('it-gone/slow@it/gone', { policyTarget: 'it/gone' });
    await stale(`it-plan-ok/renamed@${apps.ok}`, {});
    await stale('it-plan-ok/slow@it/elsewhere', { policyTarget: 'it/elsewhere' });
    await stale(`it-plan-fail/slow@${apps.failing}`, { policyTarget: apps.failing, expiresAt: Date.now() - 1 });
    // A crash between the run's state write and its claim's: the claim never got there.
    await redis.hdel(key, owner);

    const store = engine.get(PolicyStore);
    store.reload();
    const rebuilt = await waitFor(async () => {
      const fields = await redis.hgetall(key);
      return Object.keys(fields).length === 1 && fields[owner] !== undefined && fields;
    });
    expect(JSON.parse(rebuilt[owner]!)).toMatchObject({ value: 60, direction: 'floor', runId: held.runId });

    // Turned dry-run, the policy changes nothing, so it holds nothing others must respect.
    const dry = policy('it-plan-ok', apps.ok, pools.ok).replace(
      '  maxReplicas: 40\n',
      '  maxReplicas: 40\n  dryRun: true\n',
    );
    fs.writeFileSync(path.join(policiesDir, 'ok.yaml'), dry);
    store.reload();
    await waitFor(async () => Object.keys(await redis.hgetall(key)).length === 0);
  }, 60_000);
});

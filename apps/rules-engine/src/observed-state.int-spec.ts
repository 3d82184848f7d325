import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { scaleDecision, type ScaleDecision } from '@surge/contracts';
import type { TargetState } from '@surge/decision-core';
import { Redis } from 'ioredis';
import { Kafka, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineApp } from './testing/engine-app';
import { observedReplicas, waitFor } from './testing/observed-state';
import { runTopicEnv } from '@surge/harness';

/** A target's current value has one channel, the executors' observed state; the samples topic cannot set it. */
const run = randomUUID().slice(0, 8);
const target = `it/observed-${run}`;
const topics = runTopicEnv(`test.observed.${run}`);
const prefix = `test:observed:${run}:`;
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-observed-policies-'));
const T0 = Date.parse('2026-03-01T10:00:00Z');
const seen: ScaleDecision[] = [];
let kafka: Kafka;
let producer: Producer;
let redis: Redis;
let engine: NestFastifyApplication;

const at = (seconds: number) => T0 + seconds * 1000;

async function sendSamples(seconds: number, values: Record<string, number>): Promise<void> {
  const samples = Object.entries(values).map(([metric, value]) => ({
    schemaVersion: 1,
    target,
    metric,
    value,
    timestamp: at(seconds),
  }));
  await producer.send({
    topic: topics.SURGE_TOPIC_SAMPLES,
    messages: [{ key: target, value: JSON.stringify({ schemaVersion: 1, target, samples }) }],
  });
}

async function sendObserved(...observations: [seconds: number, replicas: number][]): Promise<void> {
  await producer.send({
    topic: topics.SURGE_TOPIC_OBSERVED,
    messages: observations.map(([seconds, replicas]) => observedReplicas(target, replicas, at(seconds))),
  });
}

async function state(): Promise<TargetState | undefined> {
  const raw = await redis.get(`${prefix}target:${target}`);
  return raw ? (JSON.parse(raw) as { state: TargetState }).state : undefined;
}

/** The executor's latest word as the engine stored it, apart from the state, for the next evaluation to fold in. */
async function observed(): Promise<number | undefined> {
  const raw = await redis.get(`${prefix}observed:${target}`);
  return raw ? (JSON.parse(raw) as { value: number }).value : undefined;
}

async function observedCount(): Promise<number> {
  const text = await (await fetch(`${await engine.getUrl()}/metrics`)).text();
  return Number(/surge_rules_observed_states_total (\d+)/.exec(text)?.[1] ?? 0);
}

beforeAll(async () => {
  fs.writeFileSync(
    path.join(policiesDir, 'observed.yaml'),
    `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: it-observed }
spec:
  target: { id: ${target}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 20
  metricStaleness: 10m
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
`,
  );
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'observed-test' });
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })) });
  await admin.disconnect();
  const observer = kafka.consumer({ groupId: `test-observed-observer-${run}`, maxWaitTimeInMs: 100 });
  await observer.connect();
  await observer.subscribe({ topics: [topics.SURGE_TOPIC_DECISIONS], fromBeginning: true });
  await observer.run({
    eachMessage: async ({ message }) => void seen.push(scaleDecision.parse(JSON.parse(message.value!.toString()))),
  });
  afterAll(() => observer.disconnect());
  engine = await startEngineApp({
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-observed-${run}`,
    SURGE_RULES_REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await producer?.disconnect();
  redis?.disconnect();
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe("a target's current value", () => {
  it('comes from the observed-state topic', async () => {
    await sendObserved([0, 2]);
    expect(await waitFor(async () => (await observed()) === 2)).toBe(true);
    await sendSamples(1, { cpu_utilization: 100 });
    expect(await waitFor(() => seen[0])).toMatchObject({ from: 2, to: 4, direction: 'up' });
  });

  it('is never set by a sample: replicas=1000000 on the samples topic decides nothing', async () => {
    await sendSamples(20, { replicas: 1_000_000, cpu_utilization: 50 });
    const after = await waitFor(async () => {
      const s = await state();
      return s?.samples['cpu_utilization']?.time === at(20) && s;
    });
    expect(after.current).toBe(4);
    expect(after.samples['replicas']).toEqual({ value: 2, time: at(0) });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(seen.map((d) => [d.from, d.to])).toEqual([[2, 4]]);
  });

  it('follows observations in event time order, ignoring one older than what is known', async () => {
    const before = await observedCount();
    // Same key, same partition, in this order: the older read arrives last and must not win.
    await sendObserved([25, 30], [10, 3]);
    await waitFor(async () => (await observedCount()) >= before + 2);
    expect(await observed()).toBe(30);
    // 30 is above maxReplicas: the next evaluation brings the target back within bounds, from the observed value.
    await sendSamples(40, { cpu_utilization: 50 });
    expect(await waitFor(() => seen[1])).toMatchObject({ from: 30, to: 20, direction: 'down' });
  });
});

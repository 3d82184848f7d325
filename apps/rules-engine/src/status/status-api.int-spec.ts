import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  runningPolicyDetail,
  runningPolicyList,
  scaleDecision,
  type ScaleDecision,
  targetStatus,
  targetStatusList,
} from '@surge/contracts';
import { runTopicEnv } from '@surge/harness';
import { Redis } from 'ioredis';
import { Kafka, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineApp } from '../testing/engine-app';
import { observedReplicas, waitFor } from '../testing/observed-state';

// Real: Kafka, Redis and the rules engine as a Nest app on a port; the status is read over HTTP.
const run = randomUUID().slice(0, 8);
const target = `it/status-${run}`;
const encoded = encodeURIComponent(target);
const topics = runTopicEnv(`test.status.${run}`);
const prefix = `test:status:${run}:`;
const ADMIN_TOKEN = `status-admin-${run}-0123456789`;
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-status-policies-'));
// Fresh samples: the status is evaluated at the engine's clock, and a metric older than metricStaleness is missing.
const T0 = Date.now() - 5_000;
const seen: ScaleDecision[] = [];
let kafka: Kafka;
let producer: Producer;
let redis: Redis;
let engine: NestFastifyApplication;
let url: string;

/** `token` null sends no Authorization header at all. */
const get = (route: string, token: string | null = ADMIN_TOKEN) =>
  fetch(`${url}${route}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  fs.writeFileSync(
    path.join(policiesDir, 'status.yaml'),
    `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: it-status }
spec:
  target: { id: ${target}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 3
  metricStaleness: 10m
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
  rules:
    - name: cpu-hot
      when: { metric: cpu_utilization, op: '>', value: 90 }
      for: 1h
      action: { scaleBy: '+50%' }
`,
  );
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'status-test' });
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })) });
  await admin.disconnect();
  const observer = kafka.consumer({ groupId: `test-status-observer-${run}`, maxWaitTimeInMs: 100 });
  await observer.connect();
  await observer.subscribe({ topics: [topics.SURGE_TOPIC_DECISIONS], fromBeginning: true });
  await observer.run({
    eachMessage: async ({ message }) => void seen.push(scaleDecision.parse(JSON.parse(message.value!.toString()))),
  });
  afterAll(() => observer.disconnect());
  engine = await startEngineApp({
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-status-${run}`,
    SURGE_RULES_REDIS_PREFIX: prefix,
    SURGE_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
  });
  url = (await engine.getUrl()).replace('[::1]', '127.0.0.1');

  // 2 replicas at 100 % for a 50 % target: the engine decides 2 → 3 (capped at maxReplicas) and stores it.
  await producer.send({ topic: topics.SURGE_TOPIC_OBSERVED, messages: [observedReplicas(target, 2, T0)] });
  await waitFor(async () => (await redis.get(`${prefix}observed:${target}`)) !== null);
  const samples = [{ schemaVersion: 1, target, metric: 'cpu_utilization', value: 100, timestamp: T0 + 1_000 }];
  await producer.send({
    topic: topics.SURGE_TOPIC_SAMPLES,
    messages: [{ key: target, value: JSON.stringify({ schemaVersion: 1, target, samples }) }],
  });
  await waitFor(() => seen[0]);
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await producer?.disconnect();
  const keys = (await redis?.keys(`${prefix}*`)) ?? [];
  if (keys.length) await redis.del(...keys);
  redis?.disconnect();
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe('the rules engine status API (real Kafka and Redis)', () => {
  it('refuses a request without the admin token, or with another one', async () => {
    const bare = await get(`/status/${encoded}`, null);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ message: expect.stringContaining('missing Authorization') });
    expect((await get('/status', 'not-the-token')).status).toBe(401);
    expect((await get('/policies', null)).status).toBe(401);
  });

  it('tells the values, the metrics, the rules and why the target is limited', async () => {
    expect(seen[0]).toMatchObject({ target: { id: target }, from: 2, to: 3 });
    const response = await get(`/status/${encoded}`);
    expect(response.status).toBe(200);
    const status = targetStatus.parse(await response.json());
    expect(status).toMatchObject({
      target: { id: target, kind: 'Deployment' },
      policy: { name: 'it-status', setting: 'replicas', min: 1, max: 3, paused: false, dryRun: false },
      current: 3,
      desired: 3,
      lastEvaluatedAt: T0 + 1_000,
    });
    expect(status.metrics).toEqual([
      expect.objectContaining({ metric: 'cpu_utilization', value: 100, target: 50, recommendation: 6, missing: false }),
    ]);
    expect(status.rules).toEqual([
      expect.objectContaining({
        name: 'cpu-hot',
        holding: true,
        fired: false,
        forSeconds: 3600,
        action: 'scaleBy +50%',
      }),
    ]);
    const limited = status.conditions.find((c) => c.type === 'ScalingLimited');
    expect(limited).toMatchObject({ status: 'True', reason: 'TooManyReplicas' });
    expect(status.conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({ reason: 'ValidMetricFound' });
  });

  it('stores nothing and publishes nothing by reading', async () => {
    const before = await redis.get(`${prefix}target:${target}`);
    await get(`/status/${encoded}`);
    await get('/status');
    expect(await redis.get(`${prefix}target:${target}`)).toBe(before);
    expect(seen).toHaveLength(1);
  });

  it('lists every target in one line each', async () => {
    const list = targetStatusList.parse(await (await get('/status')).json());
    expect(list.targets).toEqual([
      expect.objectContaining({ target: { kind: 'Deployment', id: target }, current: 3, reason: 'TooManyReplicas' }),
    ]);
    expect(list.targets[0]!.targets).toBe('cpu_utilization: 100%/50%');
  });

  it('answers 404 naming a target no policy scales', async () => {
    const response = await get(`/status/${encodeURIComponent('nowhere/none')}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found', target: 'nowhere/none' });
  });

  it('lists the policies in force, and gives each one normalized', async () => {
    const list = runningPolicyList.parse(await (await get('/policies')).json());
    expect(list.policies).toEqual([
      expect.objectContaining({ name: 'it-status', target: { kind: 'Deployment', id: target }, setting: 'replicas' }),
    ]);
    expect(list.policies[0]!.source).toContain('status.yaml');
    const detail = runningPolicyDetail.parse(await (await get('/policies/it-status')).json());
    expect(detail.version).toBe(list.policies[0]!.version);
    expect(detail.normalized).toMatchObject({ name: 'it-status', max: 3, metricStalenessSeconds: 600 });
    expect(detail.normalized).not.toHaveProperty('version');
    expect((await get('/policies/none')).status).toBe(404);
  });
});

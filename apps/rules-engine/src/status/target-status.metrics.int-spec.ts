import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runTopicEnv } from '@surge/harness';
import { Redis } from 'ioredis';
import { Kafka, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineApp } from '../testing/engine-app';
import { observedReplicas, waitFor } from '../testing/observed-state';

// Real: Kafka, Redis and the rules engine as a Nest app on a port; /metrics is scraped over HTTP, as Prometheus does.
const run = randomUUID().slice(0, 8);
const target = `it/metrics-${run}`;
const topics = runTopicEnv(`test.target-metrics.${run}`);
const prefix = `test:target-metrics:${run}:`;
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-target-metrics-policies-'));
// Fresh samples: a metric older than metricStaleness has no value series.
const T0 = Date.now() - 5_000;
let producer: Producer;
let redis: Redis;
let engine: NestFastifyApplication;
let url: string;

const scrape = async () => (await (await fetch(`${url}/metrics`)).text()).split('\n');
const series = (lines: string[], name: string) => lines.filter((l) => l.startsWith(`${name}{`));

beforeAll(async () => {
  fs.writeFileSync(
    path.join(policiesDir, 'metrics.yaml'),
    `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: it-target-metrics }
spec:
  target: { id: ${target}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 3
  metricStaleness: 10m
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
`,
  );
  const kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'target-metrics-test' });
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })) });
  await admin.disconnect();
  engine = await startEngineApp({
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-target-metrics-${run}`,
    SURGE_RULES_REDIS_PREFIX: prefix,
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
  await waitFor(async () => series(await scrape(), 'surge_target_metric_value').length > 0);
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await producer?.disconnect();
  const keys = (await redis?.keys(`${prefix}*`)) ?? [];
  if (keys.length) await redis.del(...keys);
  redis?.disconnect();
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe("the rules engine's per-target metrics (real Kafka and Redis)", () => {
  it("exposes the target's values and its metric's value, target and recommendation, one series each", async () => {
    const lines = await scrape();
    expect(series(lines, 'surge_target_current')).toEqual([
      `surge_target_current{target="${target}",setting="replicas"} 3`,
    ]);
    expect(series(lines, 'surge_target_desired')).toEqual([
      `surge_target_desired{target="${target}",setting="replicas"} 3`,
    ]);
    expect(series(lines, 'surge_target_metric_value')).toEqual([
      `surge_target_metric_value{target="${target}",metric="cpu_utilization"} 100`,
    ]);
    expect(series(lines, 'surge_target_metric_target')).toEqual([
      `surge_target_metric_target{target="${target}",metric="cpu_utilization"} 50`,
    ]);
    expect(series(lines, 'surge_target_metric_recommendation')).toEqual([
      `surge_target_metric_recommendation{target="${target}",metric="cpu_utilization"} 6`,
    ]);
    expect(lines).toContain('surge_target_status_errors_total 0');
    expect(lines).toContain('# TYPE surge_target_current gauge');
  });
});

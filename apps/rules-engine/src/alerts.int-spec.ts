import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { alertEvent, type AlertEvent, scaleExplanation, type ScaleExplanation } from '@surge/contracts';
import { runTopicEnv } from '@surge/harness';
import { Kafka, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineApp } from './testing/engine-app';
import { observedReplicas, waitFor } from './testing/observed-state';

/**
 * The engine's alerts and explanations through real Kafka and Redis: a warning rule that fires and clears sends
 * `firing` then `resolved` on surge.alerts, and a rule capped at maxReplicas leaves its explanation on
 * surge.scale.explanations, both published through the outbox as decisions are.
 */
const run = randomUUID().slice(0, 8);
const target = `it/alerts-${run}`;
const topics = runTopicEnv(`test.alerts.${run}`);
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-alert-policies-'));
const POLICY = `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: it-alerts }
spec:
  target: { id: ${target}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 3
  metricStaleness: 10m
  behavior: {}
  rules:
    - { name: error-warning, when: { metric: error_rate, op: ">", value: 5, for: 2s }, severity: SEV-3 }
    - { name: queue-capped, when: { metric: queue_depth, op: ">", value: 100 }, severity: P1, action: { scaleTo: 10 } }
`;
const T0 = Date.parse('2026-03-02T10:00:00Z');
const alerts: AlertEvent[] = [];
const explanations: ScaleExplanation[] = [];
let kafka: Kafka;
let producer: Producer;
let reader: Consumer;
let engine: NestFastifyApplication;

async function send(seconds: number, values: Record<string, number>): Promise<void> {
  const timestamp = T0 + seconds * 1000;
  const samples = Object.entries(values).map(([metric, value]) => ({
    schemaVersion: 1,
    target,
    metric,
    value,
    timestamp,
  }));
  await producer.send({
    topic: topics.SURGE_TOPIC_SAMPLES,
    messages: [{ key: target, value: JSON.stringify({ schemaVersion: 1, target, samples }) }],
  });
}

beforeAll(async () => {
  fs.writeFileSync(path.join(policiesDir, 'alerts.yaml'), POLICY);
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'rules-alerts-test' });
  producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })) });
  await admin.disconnect();
  reader = kafka.consumer({ groupId: `test-alerts-reader-${run}`, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topics: [topics.SURGE_TOPIC_ALERTS, topics.SURGE_TOPIC_EXPLANATIONS], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ topic, message }) => {
      expect(message.key!.toString()).toBe(target);
      const value = JSON.parse(message.value!.toString());
      if (topic === topics.SURGE_TOPIC_ALERTS) alerts.push(alertEvent.parse(value));
      else explanations.push(scaleExplanation.parse(value));
    },
  });
  engine = await startEngineApp({
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-alerts-${run}`,
    SURGE_RULES_REDIS_PREFIX: `test:alerts:${run}:`,
    LOG_LEVEL: 'warn',
  });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await reader?.disconnect();
  await producer?.disconnect();
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe('rules-engine alerts and explanations with real Kafka and Redis', () => {
  it('sends firing then resolved for a warning rule, and explains the rule capped at maxReplicas', async () => {
    // At maxReplicas already: the queue rule's scaleTo 10 can only be explained, never decided.
    await producer.send({ topic: topics.SURGE_TOPIC_OBSERVED, messages: [observedReplicas(target, 3, T0)] });
    const observedCount = async () => {
      const text = await (await fetch(`${await engine.getUrl()}/metrics`)).text();
      return Number(/surge_rules_observed_states_total (\d+)/.exec(text)?.[1] ?? 0) > 0 || undefined;
    };
    await waitFor(observedCount);

    await send(0, { error_rate: 9, queue_depth: 500 });
    const [capped] = await waitFor(() => explanations.length > 0 && explanations);
    expect(capped).toMatchObject({
      trigger: { kind: 'rule', name: 'queue-capped' },
      reason: 'at-max',
      wanted: 10,
      current: 3,
      decided: 3,
      summary: 'wanted 10 by rule queue-capped, capped at maxReplicas 3',
      eventTime: T0,
    });

    await send(3, { error_rate: 9, queue_depth: 500 });
    const [firing] = await waitFor(() => alerts.length > 0 && alerts);
    expect(firing).toMatchObject({
      status: 'firing',
      labels: { alertname: 'error-warning', target, policy: 'it-alerts', severity: 'SEV-3' },
      severityRank: 2,
      endsAt: null,
    });

    await send(5, { error_rate: 1, queue_depth: 500 });
    const resolved = await waitFor(() => alerts[1]);
    expect(resolved).toMatchObject({ status: 'resolved', alertId: firing!.alertId, endsAt: T0 + 5000 });
    expect(resolved.startsAt).toBe(firing!.startsAt);

    // Nothing more: the queue breach lasts without a new firing (for: 0 fires once), and the alert is resolved.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(alerts.map((a) => a.status)).toEqual(['firing', 'resolved']);
    expect(explanations).toHaveLength(1);
  }, 60_000);
});

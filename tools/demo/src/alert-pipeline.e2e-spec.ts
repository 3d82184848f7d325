import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type LocalAlertmanager, runTopicEnv, startLocalAlertmanager } from '@surge/harness';
import { Redis } from 'ioredis';
import { Kafka, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNotifier } from '../../../apps/notifier/src/testing/test-notifier';
import { startWebhookReceiver, type WebhookReceiver } from '../../../apps/notifier/src/testing/webhook-receiver';
import { startEngineApp } from '../../../apps/rules-engine/src/testing/engine-app';
import { observedReplicas, waitFor } from '../../../apps/rules-engine/src/testing/observed-state';

/**
 * The notification path end to end, nothing published by hand past the samples: a notify-only warning rule
 * breached in the rules engine reaches a webhook receiver through the notifier and a real (private) Alertmanager,
 * firing then resolved, the engine and the notifier sharing one run's topics on the shared Kafka and Redis.
 */
const run = randomUUID().slice(0, 8);
const target = `e2e/alert-pipeline-${run}`;
const topics = runTopicEnv(`test.alert-pipeline.${run}`);
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-alert-pipeline-'));
const notifierKey = `test:alert-pipeline:${run}:firing`;
const POLICY = `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: e2e-alert-pipeline }
spec:
  target: { id: ${target}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 3
  metricStaleness: 10m
  behavior: {}
  rules:
    - { name: errors-warning, when: { metric: error_rate, op: ">", value: 5, for: 1s }, severity: warning }
`;
// Recent event times: Alertmanager takes a resolve's endsAt as it is, and the alert must read as fresh.
const T0 = Date.now() - 60_000;
let kafka: Kafka;
let producer: Producer;
let receiver: WebhookReceiver;
let alertmanager: LocalAlertmanager;
let engine: NestFastifyApplication;
let notifier: { app: NestFastifyApplication; url: string };

async function sendErrorRate(seconds: number, value: number): Promise<void> {
  const samples = [{ schemaVersion: 1, target, metric: 'error_rate', value, timestamp: T0 + seconds * 1000 }];
  await producer.send({
    topic: topics.SURGE_TOPIC_SAMPLES,
    messages: [{ key: target, value: JSON.stringify({ schemaVersion: 1, target, samples }) }],
  });
}

beforeAll(async () => {
  fs.writeFileSync(path.join(policiesDir, 'pipeline.yaml'), POLICY);
  receiver = await startWebhookReceiver();
  alertmanager = await startLocalAlertmanager({ webhookUrl: receiver.url, groupWait: '1s', groupInterval: '1s' });
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'alert-pipeline-e2e' });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })) });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
  notifier = await startTestNotifier({
    ...topics,
    ALERTMANAGER_URL: alertmanager.url,
    SURGE_NOTIFIER_GROUP_ID: `test-alert-pipeline-notifier-${run}`,
    SURGE_NOTIFIER_REDIS_KEY: notifierKey,
    SURGE_CONSOLE_URL: 'http://127.0.0.1:8080/',
  });
  engine = await startEngineApp({
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-alert-pipeline-rules-${run}`,
    SURGE_RULES_REDIS_PREFIX: `test:alert-pipeline:${run}:`,
  });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await notifier?.app.close();
  const redis = new Redis(process.env.REDIS_URL!);
  await redis.del(notifierKey);
  await redis.quit();
  await producer?.disconnect();
  await alertmanager?.stop();
  await receiver?.close();
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe('a warning rule through the rules engine, the notifier and Alertmanager', () => {
  it('notifies the receiver that the rule fires, then that it is resolved', async () => {
    await producer.send({ topic: topics.SURGE_TOPIC_OBSERVED, messages: [observedReplicas(target, 2, T0)] });
    const observed = async () => {
      const text = await (await fetch(`${await engine.getUrl()}/metrics`)).text();
      return Number(/surge_rules_observed_states_total (\d+)/.exec(text)?.[1] ?? 0) > 0 || undefined;
    };
    await waitFor(observed);

    // Held past its `for: 1s` by the second sample's event time.
    await sendErrorRate(0, 9);
    await sendErrorRate(2, 9);
    const ours = (status: string) => (a: { labels: Record<string, string>; status: string }) =>
      a.labels['target'] === target && a.status === status;
    const firing = await receiver.waitFor(ours('firing'), 30_000);
    expect(firing.labels).toMatchObject({
      alertname: 'errors-warning',
      severity: 'warning',
      policy: 'e2e-alert-pipeline',
      rule: 'errors-warning',
    });

    await sendErrorRate(4, 1);
    const resolved = await receiver.waitFor(ours('resolved'), 30_000);
    expect(resolved.labels['alertname']).toBe('errors-warning');
    expect(Date.parse(resolved.endsAt)).toBe(T0 + 4000);
    expect(Date.parse(resolved.startsAt)).toBe(Date.parse(firing.startsAt));
  }, 90_000);
});

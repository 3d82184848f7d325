import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AlertEvent } from '@surge/contracts';
import { type LocalAlertmanager, runTopicEnv, startLocalAlertmanager } from '@surge/harness';
import { Redis } from 'ioredis';
import { Kafka, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firingAlert, resolvedAlert } from './testing/alert-fixtures';
import { startTestNotifier } from './testing/test-notifier';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-receiver';

/**
 * surge.alerts through the notifier and a real Alertmanager (a private one, routing to a webhook receiver of the
 * test) on the shared Kafka and Redis: firing then resolved notifications arrive, and an outage of Alertmanager
 * holds the alert uncommitted until it is back.
 */
const run = randomUUID().slice(0, 8);
const topics = runTopicEnv(`test.notifier.${run}`);
const groupId = `test-notifier-${run}`;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let receiver: WebhookReceiver;
let alertmanager: LocalAlertmanager;
let notifier: { app: NestFastifyApplication; url: string };
let notifierEnv: Record<string, string>;

async function publish(event: AlertEvent | string, key: string): Promise<void> {
  const value = typeof event === 'string' ? event : JSON.stringify(event);
  await producer.send({ topic: topics.SURGE_TOPIC_ALERTS, messages: [{ key, value }] });
}

/** The group's committed offsets on the alerts topic, summed over partitions (none committed counts 0). */
async function committed(): Promise<number> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topics.SURGE_TOPIC_ALERTS] });
  return (entry?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The endsAt Alertmanager holds for the alert of `target`, epoch ms (0 when it has none). */
async function endsAtIn(am: LocalAlertmanager, target: string): Promise<number> {
  const filter = encodeURIComponent(`target="${target}"`);
  const alerts = (await (await fetch(`${am.url}/api/v2/alerts?filter=${filter}`)).json()) as { endsAt: string }[];
  return alerts.length ? Date.parse(alerts[0]!.endsAt) : 0;
}

const readiness = async () => (await fetch(`${notifier.url}/health/ready`)).status;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  alertmanager = await startLocalAlertmanager({ webhookUrl: receiver.url, groupWait: '1s', groupInterval: '1s' });
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'notifier-test' });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer();
  await producer.connect();
  notifierEnv = {
    ...topics,
    ALERTMANAGER_URL: alertmanager.url,
    SURGE_NOTIFIER_GROUP_ID: groupId,
    SURGE_NOTIFIER_REDIS_KEY: `test:notifier:${run}:firing`,
    // Long enough that the endsAt a round sets shows which instance sent it, short enough to see rounds go.
    SURGE_NOTIFIER_RESEND_SECONDS: '30',
    SURGE_CONSOLE_URL: 'http://127.0.0.1:8080/',
  };
  notifier = await startTestNotifier(notifierEnv);
});

afterAll(async () => {
  await notifier?.app.close();
  const redis = new Redis(process.env.REDIS_URL!);
  await redis.del(`test:notifier:${run}:firing`);
  await redis.quit();
  await producer?.disconnect();
  await admin?.disconnect();
  await alertmanager?.stop();
  await receiver?.close();
});

describe('notifier through a real Alertmanager', () => {
  it('delivers a firing alert to the receiver, then its resolve', async () => {
    const target = `it/notify-${run}`;
    const firing = firingAlert(target);
    await publish(firing, target);
    const notified = await receiver.waitFor((a) => a.labels['target'] === target && a.status === 'firing', 20_000);
    expect(notified.labels).toMatchObject({ ...firing.labels });
    expect(notified.annotations['summary']).toBe(firing.annotations.summary);
    expect(notified.annotations['console']).toContain(encodeURIComponent(target));

    const resolvedAt = Date.now() - 1_000;
    await publish(resolvedAlert(firing, resolvedAt), target);
    const resolved = await receiver.waitFor((a) => a.labels['target'] === target && a.status === 'resolved', 20_000);
    expect(Date.parse(resolved.endsAt)).toBe(resolvedAt);
    const metrics = await (await fetch(`${notifier.url}/metrics`)).text();
    expect(metrics).toMatch(/surge_notifier_alerts_posted_total\{[^}]*kind="resolved"[^}]*\} [1-9]/);
  });

  it('holds the alert uncommitted while Alertmanager is down and delivers it once it is back', async () => {
    const target = `it/outage-${run}`;
    const before = await until(committed, (n) => n >= 2, 10_000);
    await alertmanager.kill9();
    await publish(firingAlert(target), target);

    expect(await until(readiness, (status) => status === 503, 15_000)).toBe(503);
    // A few retries later the offset is still where it was: nothing was committed past the undelivered alert.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await committed()).toBe(before);
    expect(receiver.alerts.some((a) => a.labels['target'] === target)).toBe(false);

    await alertmanager.restart();
    const notified = await receiver.waitFor((a) => a.labels['target'] === target && a.status === 'firing', 30_000);
    expect(notified.labels['rule']).toBe('error-warning');
    expect(await until(committed, (n) => n === before + 1, 15_000)).toBe(before + 1);
    expect(await until(readiness, (status) => status === 200, 15_000)).toBe(200);
  });

  it('resumes re-sending what was firing after a restart, from its Redis store', async () => {
    const target = `it/restart-${run}`;
    await publish(firingAlert(target), target);
    await receiver.waitFor((a) => a.labels['target'] === target && a.status === 'firing', 20_000);
    await notifier.app.close();
    const heldUntil = await endsAtIn(alertmanager, target);
    expect(heldUntil).toBeGreaterThan(Date.now());

    notifier = await startTestNotifier(notifierEnv);
    // Nothing new was published for it: only the store tells the new instance that this alert still fires.
    const resent = await until(
      () => endsAtIn(alertmanager, target),
      (endsAt) => endsAt > heldUntil,
      10_000,
    );
    expect(resent).toBeGreaterThan(heldUntil);
  });

  it('parks a record that is not an alert on the dead-letter topic with its reason', async () => {
    const reader = kafka.consumer({ groupId: `${groupId}-dlq-reader`, maxWaitTimeInMs: 100 });
    const reasons: string[] = [];
    await reader.connect();
    await reader.subscribe({ topics: [topics.SURGE_TOPIC_DEADLETTER], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const record = JSON.parse(message.value!.toString()) as { reason: string; source: { topic: string } };
        if (record.source.topic === topics.SURGE_TOPIC_ALERTS) reasons.push(record.reason);
      },
    });
    try {
      await publish('{not json', 'poison');
      await publish(JSON.stringify({ schemaVersion: 1, alertId: 'short' }), 'poison');
      const found = await until(
        async () => reasons,
        (r) => r.length >= 2,
        20_000,
      );
      expect(found).toEqual(['invalid-json', 'schema-violation']);
    } finally {
      await reader.disconnect();
    }
  });
});

import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createKafka, ensureTopics } from '@surge/kafka';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventRepository } from '../events/audit-event.repository';
import type { AuditEventView } from '../events/audit-row';
import { alertFixture, explanationFixture } from '../testing/audit-fixtures';
import { uniqueTopicEnv } from '../testing/audit-process';
import { startTestApp, TEST_ADMIN_TOKEN, testConfig } from '../testing/test-app';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

/**
 * Alerts and explanations through the real consumer into the real events table, and back out of the query API:
 * each stored once, a redelivery of the same Kafka records adding nothing (the at-least-once consumer's unique key).
 */
describe('audit log: alerts and explanations (real Kafka and PostgreSQL)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  let producer: Producer;
  const suffix = randomUUID().slice(0, 8);
  const topicEnv = uniqueTopicEnv(`alerts-${suffix}`);
  const target = `shop/alerts-${suffix}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const kafka = createKafka({
      brokers: process.env['KAFKA_BROKERS']!.split(','),
      clientId: `audit-alerts-${suffix}`,
    });
    await ensureTopics(kafka, Object.values(topicEnv), 1);
    producer = kafka.producer();
    await producer.connect();
    const config = testConfig({
      ...topicEnv,
      DATABASE_URL: db.url,
      SURGE_AUDIT_SCHEMA: 'audit_alerts',
      SURGE_AUDIT_GROUP_ID: `audit-alerts-${suffix}`,
    });
    ({ app, url } = await startTestApp(config, topicEnv));
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await db?.drop();
  });

  const query = async (type: string): Promise<AuditEventView[]> => {
    const response = await fetch(`${url}/v1/audit/events?type=${type}&target=${encodeURIComponent(target)}`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { events: AuditEventView[] }).events;
  };

  it('stores an alert and an explanation once each and returns them by type', async () => {
    const alert = alertFixture(`a-${suffix}`, target, 'firing');
    const explanation = explanationFixture(`e-${suffix}`, target);
    await producer.send({
      topic: topicEnv['SURGE_TOPIC_ALERTS']!,
      messages: [{ key: target, value: JSON.stringify(alert) }],
    });
    await producer.send({
      topic: topicEnv['SURGE_TOPIC_EXPLANATIONS']!,
      messages: [{ key: target, value: JSON.stringify(explanation) }],
    });
    const deadline = Date.now() + 30_000;
    let both = await query('alert,explanation');
    while (both.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      both = await query('alert,explanation');
    }
    expect(both.map((e) => [e.type, e.status, e.policy]).sort()).toEqual([
      ['alert', 'firing', 'checkout-cpu'],
      ['explanation', 'at-max', 'checkout-cpu'],
    ]);
    expect((await query('alert')).map((e) => e.payload)).toEqual([alert]);
    expect((await query('explanation')).map((e) => e.payload)).toEqual([explanation]);

    // A redelivery of the same records (a crash before the offsets were committed) hits the unique key.
    const repository = app.get(AuditEventRepository);
    const again = both.map((e) => ({
      topic: e.source.topic,
      partition: e.source.partition,
      kafkaOffset: e.source.offset,
      recordTime: new Date(e.time),
      eventType: e.type,
      targetId: e.target!.id,
      targetKind: e.target!.kind,
      decisionId: e.decisionId,
      status: e.status,
      policy: e.policy,
      payload: e.payload,
    }));
    expect(await repository.insertBatch(again)).toEqual([]);
    expect(await query('alert,explanation')).toHaveLength(2);
  });
});

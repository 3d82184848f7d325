import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createKafka, ensureTopics } from '@surge/kafka';
import type { Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionFixture } from '../testing/audit-fixtures';
import { uniqueTopicEnv } from '../testing/audit-process';
import { startTestApp, testConfig } from '../testing/test-app';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

const SCHEMA = 'audit_unstorable';

/**
 * Records holding text PostgreSQL cannot store (U+0000, a lone surrogate) through the real consumer into the real
 * events table. Before the fix the insert failed with 22P05: a dead letter holding NUL (a JSON.parse error quotes the
 * NUL bytes it met) was logged and lost, and a decision holding one was parked on the dead-letter topic instead of
 * kept as a decision.
 */
describe('audit log: records holding NUL or lone surrogates are kept (real Kafka and PostgreSQL)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let kafka: Kafka;
  let producer: Producer;
  let reader: Pool;
  const suffix = randomUUID().slice(0, 8);
  const topicEnv = uniqueTopicEnv(`unstorable-${suffix}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    kafka = createKafka({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: `audit-unstorable-${suffix}` });
    await ensureTopics(kafka, Object.values(topicEnv), 1);
    producer = kafka.producer();
    await producer.connect();
    const config = testConfig({
      ...topicEnv,
      DATABASE_URL: db.url,
      SURGE_AUDIT_SCHEMA: SCHEMA,
      SURGE_AUDIT_GROUP_ID: `audit-unstorable-${suffix}`,
    });
    ({ app } = await startTestApp(config, topicEnv));
    reader = new Pool({ connectionString: db.url, max: 1 });
  }, 90_000);

  afterAll(async () => {
    await reader?.end();
    await app?.close();
    await producer?.disconnect();
    await db?.drop();
  });

  const rowsOf = async (topic: string) => {
    const { rows } = await reader.query<{ event_type: string; target_id: string | null; payload: unknown }>(
      `SELECT event_type, target_id, payload FROM ${SCHEMA}.events WHERE topic = $1 ORDER BY kafka_offset`,
      [topic],
    );
    return rows;
  };
  const waitForRows = async (topic: string, count: number) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await rowsOf(topic);
      if (rows.length >= count || Date.now() > deadline) return rows;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('stores a dead letter whose key and error hold NUL, escaped, with its original bytes', async () => {
    const topic = topicEnv['SURGE_TOPIC_DEADLETTER']!;
    const deadLetter = {
      schemaVersion: 1,
      reason: 'invalid-json',
      error: `Unexpected token '\u0000', "\u0000\u0000\u0000\u0000" is not valid JSON`,
      consumerGroup: 'surge-rules-engine',
      source: { topic: 'surge.metrics.samples', partition: 0, offset: '7' },
      key: 'shop/\u0000web',
      valueBase64: Buffer.from([0, 0, 0, 0]).toString('base64'),
      attempts: 1,
      time: Date.now(),
    };
    // Then one without NUL: once it is stored, the first one was either stored too or dropped.
    const plain = { ...deadLetter, key: 'shop/web', error: 'not JSON' };
    for (const value of [deadLetter, plain])
      await producer.send({ topic, messages: [{ key: value.key, value: JSON.stringify(value) }] });
    const rows = await waitForRows(topic, 2);
    expect(rows.map((r) => [r.event_type, r.target_id])).toEqual([
      ['deadletter', 'shop/\\u0000web'],
      ['deadletter', 'shop/web'],
    ]);
    expect(rows[0]!.payload).toMatchObject({
      error: `Unexpected token '\\u0000', "${'\\u0000'.repeat(4)}" is not valid JSON`,
      valueBase64: 'AAAAAA==',
    });
  });

  it('stores a decision holding NUL and a lone surrogate as a decision, and NUL bytes as an invalid row', async () => {
    const topic = topicEnv['SURGE_TOPIC_DECISIONS']!;
    const decision = decisionFixture(`dec-${suffix}\u0000`, 'shop/web');
    const text = JSON.stringify({ ...decision, policy: 'web\ud800' });
    await producer.send({
      topic,
      messages: [
        { key: 'shop/web', value: text },
        { key: 'poison', value: Buffer.from([0, 0, 0, 0]) },
      ],
    });
    const rows = await waitForRows(topic, 2);
    expect(rows.map((r) => r.event_type)).toEqual(['decision', 'invalid']);
    expect(rows[0]!.payload).toMatchObject({ decisionId: `dec-${suffix}\\u0000`, policy: 'web\ufffd' });
    expect(rows[1]!.payload).toEqual({ reason: 'not JSON', content: '\\u0000'.repeat(4) });
    // The decision was kept, so only the NUL bytes are parked, as everything the audit log cannot read is.
    const parkedFrom = async () =>
      (await rowsOf(topicEnv['SURGE_TOPIC_DEADLETTER']!))
        .map((r) => r.payload as { source: { topic: string }; reason: string; valueBase64: string })
        .filter((p) => p.source.topic === topic);
    const deadline = Date.now() + 30_000;
    while ((await parkedFrom()).length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await parkedFrom()).toEqual([expect.objectContaining({ reason: 'invalid-json', valueBase64: 'AAAAAA==' })]);
  });
});

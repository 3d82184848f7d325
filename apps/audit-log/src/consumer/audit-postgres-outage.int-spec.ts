import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startPrivatePostgres, type PrivatePostgres } from '@surge/harness';
import { createKafka, ensureTopics, SurgeProducer } from '@surge/kafka';
import type { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionFixture } from '../testing/audit-fixtures';
import { uniqueTopicEnv } from '../testing/audit-process';
import { startTestApp, testConfig } from '../testing/test-app';

const SCHEMA = 'audit_outage';
const OUTAGE_MS = 20_000;
const BEFORE = 40;
const DURING = 100;
const AFTER = 40;

/**
 * The audit's PostgreSQL (a private cluster: the shared one is never stopped) goes down for 20 s while events keep
 * arriving. Before the fix the consumer gave up after a few seconds and dead-lettered every row of the outage.
 */
describe('audit log through a PostgreSQL outage (private PostgreSQL, real Kafka)', () => {
  let pg: PrivatePostgres;
  let app: NestFastifyApplication;
  let url: string;
  let kafka: Kafka;
  let producer: SurgeProducer;
  let reader: Pool;
  const suffix = randomUUID().slice(0, 8);
  const topicEnv = uniqueTopicEnv(suffix);

  beforeAll(async () => {
    pg = await startPrivatePostgres({ database: 'audit' });
    kafka = createKafka({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: `audit-outage-${suffix}` });
    await ensureTopics(kafka, Object.values(topicEnv), 3);
    producer = new SurgeProducer(kafka);
    await producer.connect();
    const config = testConfig({
      ...topicEnv,
      DATABASE_URL: pg.url,
      SURGE_AUDIT_SCHEMA: SCHEMA,
      SURGE_AUDIT_GROUP_ID: `audit-outage-${suffix}`,
    });
    ({ app, url } = await startTestApp(config, topicEnv));
    reader = new Pool({ connectionString: pg.url, max: 1 });
  }, 90_000);

  afterAll(async () => {
    await reader?.end();
    await app?.close();
    await producer?.disconnect();
    await pg?.stop();
  }, 60_000);

  const sendEvents = async (from: number, count: number) => {
    for (let i = from; i < from + count; i += 1) {
      await producer.sendJson(
        topicEnv['SURGE_TOPIC_ACTIONS']!,
        `k${i % 7}`,
        actionFixture(`dec-${suffix}-${i}`, 'shop/a'),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const ready = async () => (await fetch(`${url}/health/ready`)).status;

  it('writes every event of the outage exactly once when PostgreSQL is back, and dead-letters none', async () => {
    await sendEvents(0, BEFORE);
    await pg.halt();
    const outageEnds = Date.now() + OUTAGE_MS;
    await sendEvents(BEFORE, DURING);
    await expect.poll(ready, { timeout: 10_000 }).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
    await pg.resume();
    await sendEvents(BEFORE + DURING, AFTER);

    const total = BEFORE + DURING + AFTER;
    const written = async () =>
      (
        await reader.query<{ rows: number; decisions: number }>(
          `SELECT count(*)::int AS rows, count(DISTINCT decision_id)::int AS decisions FROM ${SCHEMA}.events WHERE topic = $1`,
          [topicEnv['SURGE_TOPIC_ACTIONS']],
        )
      ).rows[0];
    await expect.poll(written, { timeout: 30_000, interval: 500 }).toEqual({ rows: total, decisions: total });
    const admin = kafka.admin();
    await admin.connect();
    const deadLetters = await admin.fetchTopicOffsets(topicEnv['SURGE_TOPIC_DEADLETTER']!);
    await admin.disconnect();
    expect(deadLetters.reduce((sum, p) => sum + Number(p.high), 0)).toBe(0);
    await expect.poll(ready, { timeout: 15_000 }).toBe(200);
  }, 120_000);
});

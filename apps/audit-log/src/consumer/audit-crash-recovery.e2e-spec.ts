import { randomUUID } from 'node:crypto';
import { createKafka, ensureTopics, SurgeProducer } from '@surge/kafka';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionFixture } from '../testing/audit-fixtures';
import { type AuditProcess, startAuditProcess, uniqueTopicEnv } from '../testing/audit-process';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

const MESSAGES = 60_000;
const SCHEMA = 'audit_crash';

describe('audit consumer killed mid-batch (real Kafka and PostgreSQL, app as a process)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const processes: AuditProcess[] = [];
  const suffix = randomUUID().slice(0, 8);
  const topicEnv = uniqueTopicEnv(suffix);

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url });
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await pool?.end();
    await db?.drop();
  });

  const count = async () => {
    const exists = await pool.query(`SELECT to_regclass('${SCHEMA}.events') AS t`);
    if (exists.rows[0].t === null) return 0;
    return (await pool.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.events`)).rows[0].n as number;
  };

  it('writes each message exactly once after a SIGKILL and a restart', async () => {
    const kafka = createKafka({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: `audit-crash-${suffix}` });
    const topic = topicEnv['SURGE_TOPIC_ACTIONS']!;
    await ensureTopics(kafka, Object.values(topicEnv), 3);
    const producer = new SurgeProducer(kafka);
    await producer.connect();
    const value = JSON.stringify(actionFixture(`dec-${suffix}`, 'shop/checkout'));
    for (let sent = 0; sent < MESSAGES; sent += 5000) {
      await producer.send(
        topic,
        Array.from({ length: 5000 }, (_, i) => ({ key: `k${(sent + i) % 97}`, value })),
      );
    }
    await producer.disconnect();

    const env = {
      ...topicEnv,
      DATABASE_URL: db.url,
      SURGE_AUDIT_SCHEMA: SCHEMA,
      SURGE_AUDIT_GROUP_ID: `audit-crash-${suffix}`,
      SURGE_TOPIC_PARTITIONS: '3',
    };
    const first = await startAuditProcess(env, `audit-crash-${suffix}-1`);
    processes.push(first);
    let atKill = 0;
    while ((atKill = await count()) < MESSAGES / 6) await new Promise((r) => setTimeout(r, 5));
    await first.stop('SIGKILL');
    atKill = await count();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(MESSAGES);

    const second = await startAuditProcess(env, `audit-crash-${suffix}-2`);
    processes.push(second);
    const deadline = Date.now() + 90_000;
    while ((await count()) < MESSAGES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Give a redelivery time to show up as extra rows, if the unique key failed to stop it.
    await new Promise((r) => setTimeout(r, 2000));

    expect(await count()).toBe(MESSAGES);
    const distinct = await pool.query(
      `SELECT count(DISTINCT (topic, partition, kafka_offset))::int AS n FROM ${SCHEMA}.events`,
    );
    expect(distinct.rows[0].n).toBe(MESSAGES);
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    const redelivered = Number(/^surge_audit_duplicates_skipped_total (\d+)/m.exec(metrics)?.[1] ?? 'NaN');
    expect(redelivered).toBeGreaterThanOrEqual(0);
    process.stderr.write(
      `audit crash test: ${atKill}/${MESSAGES} rows at SIGKILL, ${redelivered} redelivered records skipped after restart\n`,
    );
  });
});

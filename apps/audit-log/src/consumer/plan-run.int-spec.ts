import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { PlanRef } from '@surge/contracts';
import { createKafka, ensureTopics } from '@surge/kafka';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionFixture, decisionFixture } from '../testing/audit-fixtures';
import { uniqueTopicEnv } from '../testing/audit-process';
import { startTestApp, TEST_ADMIN_TOKEN, testConfig } from '../testing/test-app';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';

/** A plan run's step decisions and results, through the real consumer and table, read back as one unit. */
describe('audit log: a plan run as one unit (real Kafka and PostgreSQL)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  let producer: Producer;
  const suffix = randomUUID().slice(0, 8);
  const topicEnv = uniqueTopicEnv(`plans-${suffix}`);
  const runId = `p-run-${suffix}`;
  const plan = (step: number, phase: PlanRef['phase'] = 'apply'): PlanRef => ({
    runId,
    policyTarget: `shop/api-${suffix}`,
    rule: 'p95-degradation',
    step,
    phase,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    const kafka = createKafka({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: `audit-plans-${suffix}` });
    await ensureTopics(kafka, Object.values(topicEnv), 1);
    producer = kafka.producer();
    await producer.connect();
    const config = testConfig({
      ...topicEnv,
      DATABASE_URL: db.url,
      SURGE_AUDIT_SCHEMA: 'audit_plans',
      SURGE_AUDIT_GROUP_ID: `audit-plans-${suffix}`,
    });
    ({ app, url } = await startTestApp(config, topicEnv));
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await db?.drop();
  });

  const get = (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });

  it('groups each step with its decision and results, and finds no run it never saw', async () => {
    const steps = [
      { ...decisionFixture(`d0-${suffix}`, `shop/api-${suffix}`), plan: plan(0) },
      { ...decisionFixture(`d1-${suffix}`, `db/pool-${suffix}`), setting: 'default_pool_size', plan: plan(1) },
    ];
    const results = [
      { ...actionFixture(`d0-${suffix}`, `shop/api-${suffix}`), plan: plan(0) },
      {
        ...actionFixture(`d1-${suffix}`, `db/pool-${suffix}`),
        status: 'failed' as const,
        error: 'boom',
        plan: plan(1),
      },
    ];
    // A decision of another run, and one outside any plan, on the same topics.
    const other = {
      ...decisionFixture(`x-${suffix}`, `shop/api-${suffix}`),
      plan: { ...plan(0), runId: `p-other-${suffix}` },
    };
    const plain = decisionFixture(`y-${suffix}`, `shop/api-${suffix}`);
    await producer.send({
      topic: topicEnv['SURGE_TOPIC_DECISIONS']!,
      messages: [...steps, other, plain].map((d) => ({ key: d.target.id, value: JSON.stringify(d) })),
    });
    await producer.send({
      topic: topicEnv['SURGE_TOPIC_ACTIONS']!,
      messages: results.map((a) => ({ key: a.target.id, value: JSON.stringify(a) })),
    });
    const deadline = Date.now() + 30_000;
    let view: { steps: { step: number; status: string | null; decision: unknown; actions: unknown[] }[] } | null = null;
    while (Date.now() < deadline) {
      const response = await get(`/v1/audit/plans/${runId}`);
      if (response.status === 200) {
        view = (await response.json()) as typeof view;
        if (view!.steps.length === 2 && view!.steps.every((s) => s.decision && s.actions.length === 1)) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(view).toMatchObject({ runId, rule: 'p95-degradation', policyTarget: `shop/api-${suffix}` });
    expect(view!.steps.map((s) => [s.step, s.status])).toEqual([
      [0, 'applied'],
      [1, 'failed'],
    ]);
    expect((await get(`/v1/audit/plans/p-never-${suffix}`)).status).toBe(404);
  });
});

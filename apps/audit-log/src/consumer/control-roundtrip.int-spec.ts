import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTopicEnv } from '../testing/audit-process';
import { startTestApp, TEST_ADMIN_TOKEN, testConfig } from '../testing/test-app';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import type { AuditEventView } from '../events/audit-row';

describe("the console host's control plane, through Kafka into the audit trail (real Kafka and PostgreSQL)", () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  const suffix = randomUUID().slice(0, 8);
  const topicEnv = uniqueTopicEnv(`control-${suffix}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig({
      ...topicEnv,
      DATABASE_URL: db.url,
      SURGE_AUDIT_SCHEMA: 'audit_control',
      SURGE_AUDIT_GROUP_ID: `audit-control-${suffix}`,
      SURGE_TOPIC_PARTITIONS: '1',
    });
    ({ app, url } = await startTestApp(config, topicEnv));
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const post = (path: string, body: unknown, token: string | null = TEST_ADMIN_TOKEN) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('rejects controls without the token and unknown actions', async () => {
    expect((await post('/v1/control/pause', {}, null)).status).toBe(401);
    const unknown = await post('/v1/control/explode', {});
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('action');
  });

  it('publishes a control event that the consumer writes to the audit table', async () => {
    const accepted = await post('/v1/control/dry-run-on', { policy: 'checkout-cpu', reason: 'sale rehearsal' });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({
      published: { type: 'dry-run-on', policy: 'checkout-cpu', actor: 'admin', scope: 'dry-run:policy:checkout-cpu' },
    });

    let events: AuditEventView[] = [];
    const deadline = Date.now() + 20_000;
    while (events.length === 0 && Date.now() < deadline) {
      const response = await fetch(`${url}/v1/audit/events?type=control`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      events = ((await response.json()) as { events: AuditEventView[] }).events;
      if (events.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'control.dry-run-on',
      policy: 'checkout-cpu',
      source: { topic: topicEnv['SURGE_TOPIC_CONTROL'] },
    });
    expect((events[0]!.payload as { reason: string }).reason).toBe('sale rehearsal');
  });
});

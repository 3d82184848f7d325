import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionFixture, decisionFixture, rowFixture } from '../testing/audit-fixtures';
import { startTestApp, TEST_ADMIN_TOKEN, testConfig } from '../testing/test-app';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { AuditWriterService } from '../consumer/audit-writer.service';
import { AuditEventRepository } from '../events/audit-event.repository';
import type { AuditEventView } from '../events/audit-row';

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('audit query API (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  let repository: AuditEventRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig({ DATABASE_URL: db.url, SURGE_AUDIT_SCHEMA: 'audit_api', SURGE_AUDIT_CONSUME: 'false' });
    ({ app, url } = await startTestApp(config));
    repository = app.get(AuditEventRepository);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const get = (path: string, headers: Record<string, string> = auth) => fetch(`${url}${path}`, { headers });

  it('returns every row exactly once across pages while rows are being inserted', async () => {
    const target = `shop/${randomUUID()}`;
    const base = Date.now() - 3_600_000;
    const seeded = Array.from({ length: 1200 }, (_, i) => rowFixture(target, new Date(base + (i % 400) * 1000)));
    const ids = new Set((await repository.insertBatch(seeded)).map((e) => e.id));
    expect(ids.size).toBe(1200);

    // Inserts run during the walk: newer rows, and rows at the same and older times as the seeded ones.
    let inserting = true;
    let concurrentBatches = 0;
    const writer = (async () => {
      let i = 0;
      while (inserting) {
        i += 1;
        concurrentBatches += 1;
        await repository.insertBatch([
          rowFixture(target, new Date(Date.now())),
          rowFixture(target, new Date(base + (i % 400) * 1000)),
        ]);
      }
    })();

    const seen: string[] = [];
    let cursor: string | null = null;
    let previous: AuditEventView | undefined;
    do {
      const response = await get(
        `/v1/audit/events?target=${encodeURIComponent(target)}&limit=37${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(response.status).toBe(200);
      const page = (await response.json()) as { events: AuditEventView[]; nextCursor: string | null };
      for (const event of page.events) {
        if (previous) expect(event.time <= previous.time).toBe(true);
        previous = event;
        seen.push(event.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
    inserting = false;
    await writer;
    expect(concurrentBatches).toBeGreaterThan(5);

    expect(new Set(seen).size).toBe(seen.length);
    expect([...ids].filter((id) => !seen.includes(id))).toEqual([]);
  });

  it('answers 400 naming each bad parameter, 401 without the token', async () => {
    const bad = await get('/v1/audit/events?from=yesterday&limit=9999');
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path).sort()).toEqual(['from', 'limit']);
    expect((await get('/v1/audit/events', {})).status).toBe(401);
    expect((await get('/v1/audit/events', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
  });

  it('filters by type, status and time range', async () => {
    const target = `shop/${randomUUID()}`;
    const t0 = Date.now() - 60_000;
    await repository.insertBatch([
      rowFixture(target, new Date(t0), { eventType: 'decision', status: 'decided' }),
      rowFixture(target, new Date(t0 + 1000), { eventType: 'action', status: 'applied' }),
      rowFixture(target, new Date(t0 + 2000), { eventType: 'action', status: 'failed' }),
      rowFixture(target, new Date(t0 + 3000), { eventType: 'queue.admissions', status: null }),
    ]);
    const list = async (query: string) =>
      (
        (await (await get(`/v1/audit/events?target=${encodeURIComponent(target)}&${query}`)).json()) as {
          events: AuditEventView[];
        }
      ).events.map((e) => `${e.type}:${e.status}`);
    expect(await list('type=action')).toEqual(['action:failed', 'action:applied']);
    expect(await list('type=queue')).toEqual(['queue.admissions:null']);
    expect(await list('status=applied')).toEqual(['action:applied']);
    expect(await list(`from=${t0 + 1000}&to=${new Date(t0 + 3000).toISOString()}`)).toEqual([
      'action:failed',
      'action:applied',
    ]);
  });

  it('joins a decision with its explanation and action results', async () => {
    const decisionId = `dec-${randomUUID()}`;
    const now = Date.now();
    await repository.insertBatch([
      rowFixture('shop/web', new Date(now), { decisionId, payload: decisionFixture(decisionId, 'shop/web') }),
      rowFixture('shop/web', new Date(now + 5), {
        decisionId,
        eventType: 'action',
        status: 'applied',
        payload: actionFixture(decisionId, 'shop/web'),
      }),
    ]);
    const view = (await (await get(`/v1/audit/decisions/${decisionId}`)).json()) as {
      explanation: { final: number };
      actions: AuditEventView[];
    };
    expect(view.explanation.final).toBe(6);
    expect(view.actions.map((a) => a.status)).toEqual(['applied']);
    expect((await get(`/v1/audit/decisions/dec-missing-${randomUUID()}`)).status).toBe(404);
  });

  it('counts dead letters and lists the most recent reasons', async () => {
    const before = (await (await get('/v1/audit/deadletters/summary')).json()) as { count: number };
    const reasons = ['invalid-json', 'schema-violation', 'handler-failed'];
    await repository.insertBatch(
      reasons.map((reason, i) =>
        rowFixture('shop/web', new Date(Date.now() - 1000 + i), {
          topic: 'surge.deadletter',
          eventType: 'deadletter',
          decisionId: null,
          status: reason,
          payload: { reason },
        }),
      ),
    );
    const summary = (await (await get('/v1/audit/deadletters/summary')).json()) as {
      count: number;
      recent: AuditEventView[];
    };
    expect(summary.count).toBe(before.count + 3);
    expect(summary.recent.slice(0, 3).map((e) => e.status)).toEqual([...reasons].reverse());
  });

  it('trades the token for an HttpOnly cookie that the SSE stream accepts', async () => {
    expect(
      (
        await fetch(`${url}/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"token":"nope"}',
        })
      ).status,
    ).toBe(401);
    const signIn = await fetch(`${url}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TEST_ADMIN_TOKEN }),
    });
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    const cookie = setCookie.split(';')[0]!;

    expect((await get('/v1/audit/stream', {})).status).toBe(401);
    const controller = new AbortController();
    const stream = await fetch(`${url}/v1/audit/stream`, { headers: { cookie }, signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const target = `shop/${randomUUID()}`;
    // The subscription exists once the headers are sent; the writer is the consumer's path into the table and the stream.
    expect(await app.get(AuditWriterService).write([rowFixture(target, new Date())])).toBe(1);
    let text = '';
    while (!text.includes(target)) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('event: audit');
    controller.abort();
  });
});

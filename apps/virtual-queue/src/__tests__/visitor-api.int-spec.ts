import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, waitUntil } from '../testing/test-app';

let t: TestApp;
beforeAll(async () => {
  // Behind a trusted proxy (the test itself), so X-Forwarded-For names each client.
  t = await startTestApp({
    VQ_JOIN_LIMIT_PER_IP: '5',
    VQ_JOIN_LIMIT_WINDOW_SECONDS: '30',
    SURGE_QUEUE_TRUSTED_PROXIES: '127.0.0.1,::1',
  });
});
afterAll(async () => t?.close());

describe('visitor and admin API (real Redis)', () => {
  it('guards admin calls with the bearer token', async () => {
    expect((await t.call('PUT', '/v1/admin/rooms/r1', { maxActive: 1 })).status).toBe(401);
    expect(
      (await t.call('PUT', '/v1/admin/rooms/r1', { maxActive: 1 }, { authorization: 'Bearer wrong' })).status,
    ).toBe(401);
  });

  it('answers bad input with field paths, unknown rooms with 404 and closed rooms with 409', async () => {
    const bad = await t.admin('PUT', '/v1/admin/rooms/r1', {
      maxActive: -1,
      sessionSeconds: 'long',
      redirectUrl: 'ftp://x',
    });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['maxActive', 'sessionSeconds', 'redirectUrl']));
    const badJoin = await t.call(
      'POST',
      '/v1/rooms/r1/join',
      { visitorId: 'x'.repeat(300) },
      { 'x-forwarded-for': '10.0.0.1' },
    );
    expect(badJoin.status).toBe(400);
    expect(((await badJoin.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('visitorId');
    expect(
      (await t.call('POST', '/v1/rooms/nowhere/join', { visitorId: 'v' }, { 'x-forwarded-for': '10.0.0.1' })).status,
    ).toBe(404);
    expect((await t.admin('GET', '/v1/admin/rooms/nowhere/stats')).status).toBe(404);
    await t.admin('PUT', '/v1/admin/rooms/shut', { mode: 'closed' });
    expect(
      (await t.call('POST', '/v1/rooms/shut/join', { visitorId: 'v' }, { 'x-forwarded-for': '10.0.0.1' })).status,
    ).toBe(409);
  });

  it('limits joins per IP across the window, with Retry-After', async () => {
    await t.admin('PUT', '/v1/admin/rooms/limited', { maxActive: 0 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const response = await t.call(
        'POST',
        '/v1/rooms/limited/join',
        { visitorId: `v${i}` },
        { 'x-forwarded-for': '10.9.9.9' },
      );
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(
      (await t.call('POST', '/v1/rooms/limited/join', { visitorId: 'other' }, { 'x-forwarded-for': '10.9.9.10' }))
        .status,
    ).toBe(200);
  });

  it('joins once per visitor, shows falling positions, admits with a token and frees the slot on complete', async () => {
    await t.admin('PUT', '/v1/admin/rooms/flow', { maxActive: 0, admitPerMinute: 60_000 });
    const tickets: { ticketId: string; position: number }[] = [];
    const cookies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const joined = await t.call('POST', '/v1/rooms/flow/join', {});
      cookies.push(joined.headers.get('set-cookie')!.split(';')[0]!);
      tickets.push((await joined.json()) as never);
    }
    const again = (await (await t.call('POST', '/v1/rooms/flow/join', {}, { cookie: cookies[1]! })).json()) as {
      ticketId: string;
      position: number;
    };
    expect(again).toMatchObject({ ticketId: tickets[1]!.ticketId, position: 2 });
    expect((await t.call('DELETE', `/v1/rooms/flow/tickets/${tickets[1]!.ticketId}`)).status).toBe(200);
    expect(await (await t.call('GET', `/v1/rooms/flow/tickets/${tickets[2]!.ticketId}`)).json()).toMatchObject({
      position: 2,
      ahead: 1,
    });
    await t.admin('PUT', '/v1/admin/rooms/flow', { maxActive: 1 });
    const admitted = await waitUntil(async () => {
      const view = (await (await t.call('GET', `/v1/rooms/flow/tickets/${tickets[0]!.ticketId}`)).json()) as {
        status: string;
        token?: string;
      };
      return view.status === 'admitted' ? view : null;
    });
    expect(admitted.token).toMatch(/^ey/);
    expect(await (await t.call('GET', `/v1/rooms/flow/tickets/${tickets[2]!.ticketId}`)).json()).toMatchObject({
      status: 'waiting',
      position: 1,
    });
    expect((await t.admin('POST', `/v1/admin/rooms/flow/tickets/${tickets[0]!.ticketId}/complete`)).status).toBe(200);
    await waitUntil(
      async () =>
        ((await (await t.call('GET', `/v1/rooms/flow/tickets/${tickets[2]!.ticketId}`)).json()) as { status: string })
          .status === 'admitted',
    );
    const stats = (await (await t.admin('GET', '/v1/admin/rooms/flow/stats')).json()) as Record<string, number>;
    expect(stats).toMatchObject({ waiting: 0, active: 1, admitted: 2, left: 1, completed: 1 });
    expect((await t.call('GET', '/v1/rooms/flow/tickets/bm9wZQ.AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('streams status over SSE until admission', async () => {
    await t.admin('PUT', '/v1/admin/rooms/sse', { maxActive: 0 });
    const { ticketId } = (await (await t.call('POST', '/v1/rooms/sse/join', { visitorId: 'watcher' })).json()) as {
      ticketId: string;
    };
    const response = await fetch(`${t.url}/v1/rooms/sse/tickets/${ticketId}/events`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const raised = new Promise((resolve) => setTimeout(resolve, 1200)).then(() =>
      t.admin('PUT', '/v1/admin/rooms/sse', { maxActive: 5 }),
    );
    const text = await response.text();
    await raised;
    expect(text).toContain('event: status');
    expect(text).toMatch(/event: admitted\ndata: .*"token":"ey/);
  });

  it('exports queue depth on /metrics', async () => {
    const metrics = await waitUntil(async () => {
      const body = await (await t.call('GET', '/metrics')).text();
      return body.includes('surge_queue_waiting{room="limited"} 6') ? body : null;
    });
    expect(metrics).toContain('surge_queue_admission_rate');
  });
});

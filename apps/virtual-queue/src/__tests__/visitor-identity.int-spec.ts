import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, waitUntil } from '../testing/test-app';

let direct: TestApp;
let proxied: TestApp;
let t: TestApp;

const cookieOf = (response: Response) => response.headers.get('set-cookie')?.split(';')[0] ?? '';
type View = { ticketId: string; status: string; token?: string; position: number };

beforeAll(async () => {
  direct = await startTestApp({ VQ_JOIN_LIMIT_PER_IP: '2' });
  proxied = await startTestApp({ VQ_JOIN_LIMIT_PER_IP: '2', SURGE_QUEUE_TRUSTED_PROXIES: '127.0.0.0/8, ::1' });
  for (const t of [direct, proxied]) await t.admin('PUT', '/v1/admin/rooms/limited', { maxActive: 0 });
  t = await startTestApp();
  await t.admin('PUT', '/v1/admin/rooms/sale', { maxActive: 1, admitPerMinute: 60_000 });
});
afterAll(async () => {
  await direct?.close();
  await proxied?.close();
  await t?.close();
});

describe('the client address behind proxies', () => {
  it('ignores X-Forwarded-For by default: a client cannot pick its address to escape the per-IP limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await direct.call('POST', '/v1/rooms/limited/join', {}, { 'x-forwarded-for': `10.0.0.${i}` })).status,
      );
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('honours X-Forwarded-For from a trusted proxy, keying the limit on the client it names', async () => {
    const join = (ip: string) => proxied.call('POST', '/v1/rooms/limited/join', {}, { 'x-forwarded-for': ip });
    expect([(await join('10.1.0.1')).status, (await join('10.1.0.2')).status, (await join('10.1.0.3')).status]).toEqual(
      [200, 200, 200],
    );
    expect([(await join('10.1.0.9')).status, (await join('10.1.0.9')).status, (await join('10.1.0.9')).status]).toEqual(
      [200, 200, 429],
    );
  });
});

describe("the visitor's identity", () => {
  it('is a server-issued HttpOnly SameSite=Lax cookie; joining twice with it keeps the same place', async () => {
    const first = await t.call('POST', '/v1/rooms/sale/join', {});
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^surge_vq_visitor=[^;]+; Path=\/;.*HttpOnly; SameSite=Lax/);
    const view = (await first.json()) as View;
    const again = (await (await t.call('POST', '/v1/rooms/sale/join', {}, { cookie: cookieOf(first) })).json()) as View;
    expect(again.ticketId).toBe(view.ticketId);
    // An API client without cookies presents its ticket id as the credential.
    const bearer = (await (
      await t.call('POST', '/v1/rooms/sale/join', {}, { authorization: `Bearer ${view.ticketId}` })
    ).json()) as View;
    expect(bearer.ticketId).toBe(view.ticketId);
  });

  it("never comes from the body: a client naming another visitor's id gets a place of its own, not theirs", async () => {
    await t.admin('PUT', '/v1/admin/rooms/victim', { maxActive: 1, admitPerMinute: 60_000 });
    const alice = (await (await t.call('POST', '/v1/rooms/victim/join', { visitorId: 'alice' })).json()) as View;
    await waitUntil(
      async () =>
        ((await (await t.call('GET', `/v1/rooms/victim/tickets/${alice.ticketId}`)).json()) as View).status ===
        'admitted',
    );
    const mallory = (await (await t.call('POST', '/v1/rooms/victim/join', { visitorId: 'alice' })).json()) as View;
    expect(mallory.ticketId).not.toBe(alice.ticketId);
    expect(mallory.status).toBe('waiting');
    expect(mallory.token).toBeUndefined();
  });

  it('refuses a forged cookie or a foreign ticket as an identity, issuing a new one instead', async () => {
    const first = await t.call('POST', '/v1/rooms/sale/join', {});
    const view = (await first.json()) as View;
    const [name, value] = cookieOf(first).split('=');
    const visitorId = decodeURIComponent(value!).split('.')[0]!;
    const forged = `${name}=${encodeURIComponent(`${visitorId}.AAAAAAAAAAAAAAAAAAAAAA`)}`;
    const withForged = (await (await t.call('POST', '/v1/rooms/sale/join', {}, { cookie: forged })).json()) as View;
    expect(withForged.ticketId).not.toBe(view.ticketId);
    const foreign = (await (
      await t.call('POST', '/v1/rooms/sale/join', {}, { authorization: 'Bearer bm9wZQ.AAAAAAAAAAAAAAAAAAAAAA' })
    ).json()) as View;
    expect(foreign.ticketId).not.toBe(view.ticketId);
  });
});

describe('a malformed identity', () => {
  it('is no identity: a cookie that does not decode gets a fresh visitor, not a 500', async () => {
    const response = await t.call('POST', '/v1/rooms/sale/join', {}, { cookie: 'surge_vq_visitor=%E0%A4%A' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^surge_vq_visitor=/);
  });
});

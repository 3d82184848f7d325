import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopServer } from '../shop.server';
import { startAdminShop } from '../testing/admin-shop';
import { ShopControls } from './shop-controls';

const TOKEN = 'f3b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8';

describe('the demo shop admin API', () => {
  let shop: ShopServer;
  let url: string;
  const controls = new ShopControls(100);
  const admin = (path: string, init: { method?: string; body?: unknown; key?: string; token?: string } = {}) =>
    fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.token ?? TOKEN}`,
        ...(init.key ? { 'idempotency-key': init.key } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    ({ shop, url } = await startAdminShop(controls, TOKEN));
  });
  afterAll(() => shop.close());

  it('refuses a missing or wrong token', async () => {
    expect((await fetch(`${url}/admin/degradation`)).status).toBe(401);
    expect((await admin('/admin/degradation', { token: `${TOKEN}x` })).status).toBe(401);
  });

  it('reads and sets an endpoint rate limit, which then sheds with 429', async () => {
    expect(await (await admin('/admin/rate-limits/events')).json()).toEqual({
      endpoint: 'events',
      limitPerSecond: 100,
    });
    const set = await admin('/admin/rate-limits/events', { method: 'PUT', body: { limitPerSecond: 2 } });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ endpoint: 'events', limitPerSecond: 2 });
    const statuses = await Promise.all(
      Array.from({ length: 5 }, async () => (await fetch(`${url}/events/concert`)).status),
    );
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3);
    expect(statuses).toContain(429);
    await admin('/admin/rate-limits/events', { method: 'PUT', body: { limitPerSecond: 1000 } });
  });

  it('refuses an unknown endpoint, a bad limit and another method', async () => {
    expect((await admin('/admin/rate-limits/nothing')).status).toBe(404);
    expect((await admin('/admin/rate-limits/events', { method: 'PUT', body: { limitPerSecond: 0 } })).status).toBe(400);
    expect((await admin('/admin/degradation', { method: 'PUT', body: { level: 3 } })).status).toBe(400);
    expect((await admin('/admin/degradation', { method: 'DELETE' })).status).toBe(405);
  });

  it('turns recommendations off at level 1 and reservations at level 2', async () => {
    expect((await fetch(`${url}/recommendations`)).status).toBe(200);
    await admin('/admin/degradation', { method: 'PUT', body: { level: 1 } });
    const shed = await fetch(`${url}/recommendations`);
    expect(shed.status).toBe(503);
    expect(await shed.json()).toMatchObject({ error: 'degraded' });
    await admin('/admin/degradation', { method: 'PUT', body: { level: 2 } });
    const reserve = await fetch(`${url}/reserve`, { method: 'POST', body: '{}' });
    expect(reserve.status).toBe(503);
    expect(await (await admin('/admin/degradation')).json()).toEqual({ level: 2 });
    await admin('/admin/degradation', { method: 'PUT', body: { level: 0 } });
  });

  it('answers a repeated idempotency key with the first answer, and refuses the key for another body', async () => {
    const first = await admin('/admin/rate-limits/reserve', {
      method: 'PUT',
      body: { limitPerSecond: 40 },
      key: 'd-1:x',
    });
    expect(await first.json()).toEqual({ endpoint: 'reserve', limitPerSecond: 40 });
    await admin('/admin/rate-limits/reserve', { method: 'PUT', body: { limitPerSecond: 60 } });
    const replay = await admin('/admin/rate-limits/reserve', {
      method: 'PUT',
      body: { limitPerSecond: 40 },
      key: 'd-1:x',
    });
    expect(await replay.json()).toEqual({ endpoint: 'reserve', limitPerSecond: 40 });
    expect(controls.rateLimit('reserve')).toBe(60);
    const reused = await admin('/admin/rate-limits/reserve', {
      method: 'PUT',
      body: { limitPerSecond: 41 },
      key: 'd-1:x',
    });
    expect(reused.status).toBe(422);
    expect(controls.rateLimit('reserve')).toBe(60);
  });
});

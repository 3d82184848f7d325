import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShopControls } from '../admin/shop-controls';
import type { ShopServer } from '../shop.server';
import { startAdminShop } from '../testing/admin-shop';

const TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** The demo's closed loop rests on these: capacity bounds the p95, degradation makes a page cheaper, a fault is not capacity. */
describe('the demo shop load model and fault', () => {
  let shop: ShopServer;
  let url: string;
  const admin = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });
  /** The slowest of `count` page views sent at once, in ms, and their statuses. */
  const burst = async (count: number) => {
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: count }, async () => (await fetch(`${url}/events/concert`)).status),
    );
    return { ms: performance.now() - started, statuses };
  };

  beforeAll(async () => {
    ({ shop, url } = await startAdminShop(new ShopControls(1000), TOKEN, {
      slots: 1,
      serviceMs: 40,
      recommendationsMs: 60,
    }));
  });
  afterAll(() => shop.close());

  it('queues pages beyond its slots, and serves them faster with recommendations shed', async () => {
    // One slot, 100 ms a page: the third of three waits for the two before it.
    const full = await burst(3);
    expect(full.statuses).toEqual([200, 200, 200]);
    expect(full.ms).toBeGreaterThanOrEqual(290);
    expect((await admin('/admin/degradation', { level: 1 })).status).toBe(200);
    const shed = await burst(3);
    expect(shed.statuses).toEqual([200, 200, 200]);
    expect(shed.ms).toBeGreaterThanOrEqual(115);
    expect(shed.ms).toBeLessThan(full.ms);
    await admin('/admin/degradation', { level: 0 });
  });

  it('fails the fault’s share of pages whatever the capacity, until it is turned off', async () => {
    expect((await admin('/admin/fault', { errorPercent: 101 })).status).toBe(400);
    const on = await admin('/admin/fault', { errorPercent: 100 });
    expect(await on.json()).toEqual({ errorPercent: 100 });
    expect((await burst(3)).statuses).toEqual([500, 500, 500]);
    await admin('/admin/fault', { errorPercent: 0 });
    expect((await burst(2)).statuses).toEqual([200, 200]);
  });
});

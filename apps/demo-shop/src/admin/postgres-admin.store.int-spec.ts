import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReservationRepository } from '../reservation.repository';
import { ShopServer } from '../shop.server';
import { AdminApi } from './admin-api';
import { PostgresAdminStore } from './postgres-admin.store';
import { ShopControls } from './shop-controls';

const TOKEN = 'a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4';

describe('two shop copies sharing their admin settings in PostgreSQL (through PgBouncer)', () => {
  const schema = `surge_shop_admin_${process.pid}`;
  const copies: { shop: ShopServer; store: PostgresAdminStore; controls: ShopControls; url: string }[] = [];
  let repository: ReservationRepository;
  const put = (url: string, pathname: string, body: unknown, key?: string) =>
    fetch(`${url}${pathname}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
  const get = async (url: string, pathname: string) =>
    (await (await fetch(`${url}${pathname}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as unknown;

  beforeAll(async () => {
    repository = new ReservationRepository(process.env['PGBOUNCER_URL']!, schema, 10, 2);
    await repository.ensureSchema();
    for (let i = 0; i < 2; i++) {
      const store = new PostgresAdminStore(process.env['PGBOUNCER_URL']!, schema);
      await store.ensureTables();
      const controls = new ShopControls(100);
      const shop = new ShopServer({
        repository,
        verifier: null,
        workMs: 0,
        controls,
        admin: new AdminApi(controls, store, TOKEN),
      });
      await new Promise<void>((resolve) => shop.server.listen(0, '127.0.0.1', resolve));
      copies.push({ shop, store, controls, url: `http://127.0.0.1:${(shop.server.address() as AddressInfo).port}` });
    }
  });

  afterAll(async () => {
    for (const copy of copies) {
      await copy.shop.close();
      await copy.store.close();
    }
    await repository.close();
    const client = new Client({ connectionString: process.env['DATABASE_URL'] });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('reads back through one copy what was set through the other', async () => {
    const [a, b] = copies;
    expect((await put(a!.url, '/admin/rate-limits/reserve', { limitPerSecond: 30 })).status).toBe(200);
    expect(await get(b!.url, '/admin/rate-limits/reserve')).toEqual({ endpoint: 'reserve', limitPerSecond: 30 });
    expect(b!.controls.rateLimit('reserve')).toBe(30);
    await put(b!.url, '/admin/degradation', { level: 1 });
    expect(await get(a!.url, '/admin/degradation')).toEqual({ level: 1 });
    expect((await fetch(`${a!.url}/recommendations`)).status).toBe(503);
  });

  it('applies a key once whichever copy it reaches, and refuses it for another change', async () => {
    const [a, b] = copies;
    const first = await put(a!.url, '/admin/rate-limits/events', { limitPerSecond: 20 }, 'decision-1:events');
    expect(await first.json()).toEqual({ endpoint: 'events', limitPerSecond: 20 });
    await put(a!.url, '/admin/rate-limits/events', { limitPerSecond: 25 });
    const replay = await put(b!.url, '/admin/rate-limits/events', { limitPerSecond: 20 }, 'decision-1:events');
    expect(await replay.json()).toEqual({ endpoint: 'events', limitPerSecond: 20 });
    expect(await get(b!.url, '/admin/rate-limits/events')).toEqual({ endpoint: 'events', limitPerSecond: 25 });
    expect((await put(b!.url, '/admin/rate-limits/events', { limitPerSecond: 21 }, 'decision-1:events')).status).toBe(
      422,
    );
  });
});

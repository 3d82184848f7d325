import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReservationRepository } from './reservation.repository';
import { ShopServer } from './shop.server';

const CAPACITY = 25;

describe('demo shop on the real PgBouncer', () => {
  const schema = `surge_demo_shop_${process.pid}`;
  let repository: ReservationRepository;
  let shop: ShopServer;
  let url: string;
  const reserve = (eventId: string, visitorId: string) =>
    fetch(`${url}/reserve`, { method: 'POST', body: JSON.stringify({ eventId, visitorId }) });

  beforeAll(async () => {
    repository = new ReservationRepository(process.env['PGBOUNCER_URL']!, schema, CAPACITY, 8);
    // Copies start together: concurrent schema creation must not fail any of them.
    await Promise.all([repository.ensureSchema(), repository.ensureSchema(), repository.ensureSchema()]);
    shop = new ShopServer({ repository, verifier: null, workMs: 0 });
    await new Promise<void>((resolve) => shop.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(shop.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await shop.close();
    await repository.close();
    const client = new Client({ connectionString: process.env['DATABASE_URL'] });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('is ready once PostgreSQL answers through PgBouncer', async () => {
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
  });

  it('sells every seat exactly once to concurrent buyers, then answers sold out', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => reserve('concert', `buyer-${i}`)));
    const bodies = await Promise.all(answers.map((a) => a.json() as Promise<{ seat?: number; error?: string }>));
    const seats = bodies.filter((b) => b.seat !== undefined).map((b) => b.seat!);
    expect(seats.sort((a, b) => a - b)).toEqual(Array.from({ length: CAPACITY }, (_, i) => i + 1));
    expect(answers.filter((a) => a.status === 409).length).toBe(40 - CAPACITY);
    expect(bodies.filter((b) => b.error === 'sold_out').length).toBe(40 - CAPACITY);
    expect(await (await fetch(`${url}/events/concert`)).json()).toEqual({
      eventId: 'concert',
      capacity: CAPACITY,
      reserved: CAPACITY,
    });
  });

  it('refuses a second seat for the same buyer without using up a seat', async () => {
    expect((await reserve('recital', 'same-buyer')).status).toBe(201);
    const again = await reserve('recital', 'same-buyer');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'already_reserved' });
    expect(await (await fetch(`${url}/events/recital`)).json()).toMatchObject({ reserved: 1 });
  });

  it('names each bad field of an invalid reservation', async () => {
    const response = await fetch(`${url}/reserve`, {
      method: 'POST',
      body: JSON.stringify({ eventId: 'bad id!', extra: 1 }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path).sort()).toEqual(['', 'eventId', 'visitorId']);
  });

  it('counts only shop requests as in flight, not its own stats call', async () => {
    expect(await (await fetch(`${url}/stats`)).json()).toMatchObject({ inflight: 0, draining: false });
  });
});

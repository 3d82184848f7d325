import { callEveryOperation, statusesOf } from '@surge/harness';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresAdminStore } from './admin/postgres-admin.store';
import { ReservationRepository } from './reservation.repository';
import { SHOP_OPENAPI } from './shop.openapi';
import type { ShopServer } from './shop.server';
import { listeningShop } from './testing/listening-shop';

const TOKEN = 'shop-openapi-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

/**
 * The hand-written document against the real shop on the real PgBouncer, admin API on: every documented
 * operation answers a documented status, and what is not documented is not served.
 */
describe('the demo shop matches its OpenAPI document', () => {
  const schema = `surge_demo_openapi_${process.pid}`;
  let repository: ReservationRepository;
  let store: PostgresAdminStore;
  let shop: ShopServer;
  let url: string;

  beforeAll(async () => {
    repository = new ReservationRepository(process.env['PGBOUNCER_URL']!, schema, 5, 4);
    await repository.ensureSchema();
    store = new PostgresAdminStore(process.env['PGBOUNCER_URL']!, schema);
    await store.ensureTables();
    ({ shop, url } = await listeningShop(repository, store, TOKEN));
  });

  afterAll(async () => {
    await shop?.close();
    await store?.close();
    await repository?.close();
    const client = new Client({ connectionString: process.env['DATABASE_URL'] });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('answers every documented operation with a documented status', async () => {
    const key = { ...auth, 'idempotency-key': `openapi-${process.pid}` };
    const answers = await callEveryOperation(url, SHOP_OPENAPI, {
      'GET /health/live': [{ path: '/health/live' }],
      'GET /health/ready': [{ path: '/health/ready' }],
      'GET /stats': [{ path: '/stats' }],
      'GET /openapi.json': [{ path: '/openapi.json' }],
      'POST /reserve': [
        { path: '/reserve', body: { eventId: 'gala', visitorId: 'buyer-1' } },
        { path: '/reserve', body: { eventId: 'gala', visitorId: 'buyer-1' } },
        { path: '/reserve', body: { eventId: 'gala' } },
      ],
      'GET /recommendations': [{ path: '/recommendations' }],
      'GET /events/{eventId}': [{ path: '/events/gala' }],
      'GET /admin/rate-limits/{endpoint}': [
        { path: '/admin/rate-limits/reserve', headers: auth },
        { path: '/admin/rate-limits/reserve' },
      ],
      'PUT /admin/rate-limits/{endpoint}': [
        { path: '/admin/rate-limits/events', headers: key, body: { limitPerSecond: 500 } },
        { path: '/admin/rate-limits/events', headers: key, body: { limitPerSecond: 400 } },
        { path: '/admin/rate-limits/events', headers: auth, body: { limitPerSecond: 0 } },
      ],
      'GET /admin/degradation': [{ path: '/admin/degradation', headers: auth }],
      'PUT /admin/degradation': [{ path: '/admin/degradation', headers: auth, body: { level: 0 } }],
      'GET /admin/fault': [{ path: '/admin/fault', headers: auth }],
      'PUT /admin/fault': [{ path: '/admin/fault', headers: auth, body: { errorPercent: 0 } }],
    });
    for (const answer of answers) expect(answer.documented, answer.operation).toContain(String(answer.status));
    expect(answers.map((a) => a.status)).toEqual([
      200, 200, 200, 200, 201, 409, 400, 200, 200, 200, 401, 200, 422, 400, 200, 200, 200, 200,
    ]);
  });

  it('serves this very document at GET /openapi.json', async () => {
    expect(await (await fetch(`${url}/openapi.json`)).json()).toEqual(JSON.parse(JSON.stringify(SHOP_OPENAPI)));
  });

  it('serves nothing it does not document', async () => {
    expect(
      await statusesOf(url, [
        ['GET', '/checkout'],
        ['DELETE', '/reserve'],
        ['GET', '/events/a/b'],
      ]),
    ).toEqual([404, 404, 404]);
    const unknownEndpoint = await fetch(`${url}/admin/rate-limits/checkout`, { headers: auth });
    expect(unknownEndpoint.status).toBe(404);
    const otherMethod = await fetch(`${url}/admin/degradation`, { method: 'POST', headers: auth });
    expect(otherMethod.status).toBe(405);
  });
});

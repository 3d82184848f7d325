import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { repoRoot, waitFor } from '@surge/harness';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestWindow } from '../metrics/request-window';
import { RoundRobinProxy } from '../proxy/round-robin.proxy';
import { PoolSupervisor } from './pool.supervisor';

/** Each request holds its copy for this long, so a scale-down always finds requests in flight. */
const WORK_MS = 300;

describe('PoolSupervisor with real demo-shop copies on PgBouncer', () => {
  const schema = `surge_demo_sup_${process.pid}`;
  let supervisor: PoolSupervisor;
  let proxy: RoundRobinProxy;
  let proxyUrl: string;

  beforeAll(async () => {
    const root = repoRoot();
    supervisor = new PoolSupervisor({
      spawn: {
        entry: path.join(root, 'dist/apps/demo-shop/src/main.js'),
        env: { ...process.env, SURGE_SHOP_SCHEMA: schema, SURGE_SHOP_WORK_MS: String(WORK_MS), SURGE_QUEUE_URL: '' },
        readyTimeoutMs: 20_000,
      },
      drainTimeoutMs: 10_000,
      stopGraceMs: 5000,
      restartBackoffMs: 200,
    });
    proxy = new RoundRobinProxy(supervisor, new RequestWindow(5));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await supervisor?.close();
    await proxy?.close();
    const client = new Client({ connectionString: process.env['DATABASE_URL'] });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('waits for slow in-flight requests before stopping a copy it scales away', async () => {
    await supervisor.scaleTo(2);
    expect(supervisor.readyCount()).toBe(2);
    const requests = Array.from({ length: 6 }, (_, i) =>
      fetch(`${proxyUrl}/reserve`, {
        method: 'POST',
        body: JSON.stringify({ eventId: 'slow', visitorId: `s${i}` }),
      }).then((r) => r.status),
    );
    await waitFor(async () => proxy.inflightRequests() === 6, {
      what: '6 requests in flight',
      fix: '-',
      timeoutMs: 5000,
      intervalMs: 5,
    });
    await supervisor.scaleTo(1);

    expect(await Promise.all(requests)).toEqual([201, 201, 201, 201, 201, 201]);
    const [drain] = supervisor.status().drains;
    expect(drain).toMatchObject({ inflightAtStop: 0, timedOut: false });
    // Three requests of 300 ms each queue on one single-threaded copy: the drain had to wait for at least one.
    expect(drain!.drainMs).toBeGreaterThanOrEqual(WORK_MS - 50);
    expect(supervisor.readyCount()).toBe(1);
  });

  it('replaces a copy that dies on its own', async () => {
    const [victim] = supervisor.readyPids();
    process.kill(victim!, 'SIGKILL');
    await waitFor(async () => supervisor.readyCount() === 1 && !supervisor.readyPids().includes(victim!), {
      what: 'a replacement copy',
      fix: 'see the supervisor log',
      timeoutMs: 20_000,
      intervalMs: 50,
    });
    expect((await fetch(`${proxyUrl}/events/slow`)).status).toBe(200);
  });

  it('answers 503 with no ready copy rather than hanging', async () => {
    await supervisor.scaleTo(0);
    const response = await fetch(`${proxyUrl}/events/slow`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: 'no_ready_replica' });
  });
});

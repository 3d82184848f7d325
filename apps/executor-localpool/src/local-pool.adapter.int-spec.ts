import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { TargetCatalog, targetEntrySchema, targetsFileSchema } from '@surge/executor-core';
import { ExecutorErrorCode, ExecutorRegistry, type ResolvedTarget } from '@surge/executor-framework';
import { ExecutorTestBed } from '@surge/executor-framework/testing';
import { freePort, repoRoot, waitFor } from '@surge/harness';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPoolAdapter } from './local-pool.adapter';

const TOKEN = 'local-pool-test-token-0123456789';

interface PoolStatus {
  ready: number;
  desired: number;
  drains: { replicaId: string; inflightAtStop: number; timedOut: boolean }[];
}

/** Buyers hitting the proxy without pause until told to stop; every non-201 answer is kept as a failure. */
function startBuyers(proxyUrl: string, eventId: string, workers: number) {
  let running = true;
  let ok = 0;
  const failures: string[] = [];
  let sequence = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const visitorId = `v${++sequence}`;
      try {
        const response = await fetch(`${proxyUrl}/reserve`, {
          method: 'POST',
          body: JSON.stringify({ eventId, visitorId }),
          headers: { 'content-type': 'application/json' },
        });
        if (response.status === 201) ok += 1;
        else failures.push(`${response.status} ${await response.text()}`);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { ok, failures };
    },
  };
}

describe('LocalPoolAdapter with the local-pool supervisor, demo shop copies on the real PgBouncer', () => {
  const schema = `surge_demo_it_${process.pid}`;
  let pool: ChildProcess;
  let adminUrl: string;
  let proxyUrl: string;
  let target: ResolvedTarget;
  const adapter = new LocalPoolAdapter(TOKEN);
  const ctx = { decision: {} as never, before: 0, baselines: {} as never };
  const status = async () => (await (await fetch(`${adminUrl}/v1/pool`)).json()) as PoolStatus;
  const readyBecomes = (n: number) =>
    waitFor(async () => (await adapter.read(target, 'replicas')) === n && (await status()).ready === n, {
      what: `${n} ready copies`,
      fix: 'see the local-pool output above',
      timeoutMs: 20_000,
      intervalMs: 50,
    });

  beforeAll(async () => {
    const root = repoRoot();
    const [shopPort, adminPort] = [await freePort(), await freePort()];
    proxyUrl = `http://127.0.0.1:${shopPort}`;
    adminUrl = `http://127.0.0.1:${adminPort}`;
    pool = spawn(process.execPath, [path.join(root, 'dist/apps/local-pool/src/main.js')], {
      env: {
        ...process.env,
        SURGE_ADMIN_TOKEN: TOKEN,
        SURGE_SHOP_PORT: String(shopPort),
        PORT: String(adminPort),
        SURGE_SHOP_SCHEMA: schema,
        SURGE_POOL_INITIAL_REPLICAS: '1',
        SURGE_QUEUE_URL: '',
        SURGE_INGEST_URL: '',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitFor(async () => (await fetch(`${adminUrl}/health/ready`)).ok, {
      what: 'local-pool',
      fix: 'see its output above',
      timeoutMs: 30_000,
      abortReason: () => (pool.exitCode === null ? undefined : `it exited with code ${pool.exitCode}`),
    });
    target = {
      entry: targetEntrySchema.parse({
        id: 'demo/shop',
        kind: 'LocalPool',
        connection: { env: 'X' },
        bounds: { min: 1, max: 5 },
      }),
      connection: adminUrl,
    };
  });

  afterAll(async () => {
    if (pool && pool.exitCode === null) {
      pool.kill('SIGTERM');
      await new Promise((resolve) => pool.once('exit', resolve));
    }
    const client = new Client({ connectionString: process.env['DATABASE_URL'] });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('reads and observes the ready copies', async () => {
    expect(await adapter.read(target, 'replicas')).toBe(1);
    expect(await adapter.observe(target)).toEqual({ replicas: 1, replicas_desired: 1 });
  });

  it('scales 1 → 3 → 1 under load without a failed request, each drained copy idle when stopped', async () => {
    const buyers = startBuyers(proxyUrl, 'it-event', 12);
    await adapter.apply(target, 'replicas', 3, ctx);
    await readyBecomes(3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await adapter.apply(target, 'replicas', 1, ctx);
    await readyBecomes(1);
    await waitFor(async () => (await status()).drains.length === 2, {
      what: 'two drains recorded',
      fix: 'see the local-pool output',
      timeoutMs: 20_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { ok, failures } = await buyers.stop();

    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);
    const { drains } = await status();
    expect(drains.map((d) => ({ inflightAtStop: d.inflightAtStop, timedOut: d.timedOut }))).toEqual([
      { inflightAtStop: 0, timedOut: false },
      { inflightAtStop: 0, timedOut: false },
    ]);
    const client = new Client({ connectionString: process.env['PGBOUNCER_URL'] });
    await client.connect();
    const rows = await client.query(
      `SELECT count(*)::int AS n, max(seat) AS top FROM ${schema}.reservations WHERE event_id = 'it-event'`,
    );
    await client.end();
    // Every 201 is a seat in PostgreSQL, numbered without gaps.
    expect(rows.rows[0]).toEqual({ n: ok, top: ok });
  });

  it('refuses settings other than replicas and sizes beyond the pool ceiling', async () => {
    await expect(adapter.read(target, 'maxmemory')).rejects.toMatchObject({ code: ExecutorErrorCode.Refused });
    await expect(adapter.apply(target, 'replicas', 1000, ctx)).rejects.toMatchObject({
      code: ExecutorErrorCode.Refused,
    });
    await expect(
      new LocalPoolAdapter('wrong-token-wrong-token').apply(target, 'replicas', 2, ctx),
    ).rejects.toMatchObject({ code: ExecutorErrorCode.Forbidden });
    expect((await status()).desired).toBe(1);
  });
  it('carries out a scale decision from Kafka: applied, verified by the ready count, then back down', async () => {
    process.env['TEST_LOCALPOOL_ADMIN_URL'] = adminUrl;
    const bed = new ExecutorTestBed();
    try {
      await bed.start();
      const entry = {
        id: 'demo/shop',
        kind: 'LocalPool',
        connection: { env: 'TEST_LOCALPOOL_ADMIN_URL' },
        bounds: { replicas: { min: 1, max: 4 } },
      };
      const catalog = new TargetCatalog(targetsFileSchema.parse({ targets: [entry] }));
      await bed.startRuntime(new ExecutorRegistry().register(adapter), catalog, {
        timings: {
          retry: { retries: 2, baseDelayMs: 50, maxDelayMs: 200 },
          attemptTimeoutMs: 5000,
          verifyTimeoutMs: 15_000,
          verifyIntervalMs: 50,
        },
      });
      const up = bed.decision({ target: { kind: 'LocalPool', id: 'demo/shop' }, from: 1, to: 2 });
      await bed.produce(up);
      await bed.waitFor('scale-up result', () => bed.resultsFor(up.decisionId)[0], 30_000);
      expect(bed.resultsFor(up.decisionId)[0]).toMatchObject({
        status: 'applied',
        before: 1,
        after: 2,
        verified: true,
      });
      const down = bed.decision({
        target: { kind: 'LocalPool', id: 'demo/shop' },
        from: 2,
        to: 1,
        direction: 'down',
        eventTime: up.eventTime + 1,
      });
      await bed.produce(down);
      await bed.waitFor('scale-down result', () => bed.resultsFor(down.decisionId)[0], 30_000);
      expect(bed.resultsFor(down.decisionId)[0]).toMatchObject({
        status: 'applied',
        before: 2,
        after: 1,
        verified: true,
      });
      expect((await status()).ready).toBe(1);
    } finally {
      await bed.stop();
    }
  });
});

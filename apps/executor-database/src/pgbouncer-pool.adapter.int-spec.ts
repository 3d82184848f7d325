import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { ScaleDecision } from '@surge/contracts';
import { TargetCatalog, targetEntrySchema, targetsFileSchema } from '@surge/executor-core';
import { ApplyRunner, BaselineStore, ExecutorRegistry, type ResolvedTarget } from '@surge/executor-framework';
import { ExecutorTestBed } from '@surge/executor-framework/testing';
import { startPgBouncer, startPrivatePostgres, type LocalPgBouncer, type PrivatePostgres } from '@surge/harness';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBouncerPoolAdapter } from './pgbouncer-pool.adapter';

describe('PgBouncerPoolAdapter against a real PgBouncer', () => {
  let pg: PrivatePostgres;
  let bouncer: LocalPgBouncer;
  let redis: Redis;
  let runner: ApplyRunner;
  let target: ResolvedTarget;
  const adapter = new PgBouncerPoolAdapter();
  const entry = () => ({
    id: 'db/test',
    kind: 'PgBouncerPool',
    connection: { env: 'TEST_PGBOUNCER_ADMIN_URL' },
    bounds: {
      default_pool_size: { min: 5, max: 60 },
      max_client_conn: { min: 100, max: 2000 },
      reserve_pool_size: { min: 0, max: 10 },
      pool_size: { min: 1, max: 40 },
    },
    options: { database: 'test', iniPath: bouncer.iniPath },
  });

  const admin = async (sql: string) => {
    const client = new Client({ connectionString: bouncer.adminUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const configValue = async (key: string) => (await admin('SHOW CONFIG')).find((r) => r.key === key)!.value;
  /** Made from the value the pool holds now, as the rules engine would. */
  const decision = async (setting: string) =>
    ({
      decisionId: `d-${randomUUID()}`,
      setting,
      from: await adapter.read(target, setting),
      direction: 'up',
    }) as ScaleDecision;

  beforeAll(async () => {
    pg = await startPrivatePostgres({ database: 'test' });
    bouncer = await startPgBouncer({ databaseUrl: pg.url, defaultPoolSize: 10, maxClientConn: 500 });
    process.env['TEST_PGBOUNCER_ADMIN_URL'] = bouncer.adminUrl;
    redis = new Redis(process.env.REDIS_URL!);
    runner = new ApplyRunner(
      {
        retry: { retries: 1, baseDelayMs: 20, maxDelayMs: 50 },
        attemptTimeoutMs: 3000,
        verifyTimeoutMs: 2000,
        verifyIntervalMs: 50,
      },
      new BaselineStore(redis, `test:pgb:${randomUUID()}`),
    );
    target = { entry: targetEntrySchema.parse(entry()), connection: bouncer.adminUrl };
  });
  afterAll(async () => {
    redis?.disconnect();
    await bouncer?.stop();
    await pg?.stop();
  });

  it('resizes global pools with the admin console SET, read back by SHOW CONFIG, leaving the ini alone', async () => {
    const iniBefore = readFileSync(bouncer.iniPath, 'utf8');
    expect(await runner.run(adapter, target, await decision('default_pool_size'), 25)).toEqual({
      ok: true,
      before: 10,
      after: 25,
      verified: true,
      changed: true,
    });
    expect(await runner.run(adapter, target, await decision('max_client_conn'), 800)).toEqual({
      ok: true,
      before: 500,
      after: 800,
      verified: true,
      changed: true,
    });
    expect(await runner.run(adapter, target, await decision('reserve_pool_size'), 3)).toMatchObject({
      ok: true,
      after: 3,
      verified: true,
    });
    expect(await configValue('default_pool_size')).toBe('25');
    expect(readFileSync(bouncer.iniPath, 'utf8')).toBe(iniBefore);
  });

  it('sets a per-database pool_size in the ini and RELOADs, keeping the values SET at run time', async () => {
    const outcome = await runner.run(adapter, target, await decision('pool_size'), 7);
    expect(outcome).toMatchObject({ ok: true, after: 7, verified: true });
    expect(readFileSync(bouncer.iniPath, 'utf8')).toMatch(/^test = .*pool_size=7$/m);
    expect((await admin('SHOW DATABASES')).find((r) => r.name === 'test').pool_size).toBe(7);
    // RELOAD re-read default_pool_size = 10 from the ini; the adapter set the run-time 25 again.
    expect(await configValue('default_pool_size')).toBe('25');
    expect(await configValue('max_client_conn')).toBe('800');
  });

  it('publishes pool settings and SHOW POOLS counts as observed state', async () => {
    expect(await adapter.observe(target)).toMatchObject({
      default_pool_size: 25,
      max_client_conn: 800,
      reserve_pool_size: 3,
      pool_size: 7,
      cl_waiting: 0,
    });
  });

  it('applies a default_pool_size decision from Kafka with before and after from SHOW CONFIG', async () => {
    const bed = new ExecutorTestBed();
    try {
      await bed.start();
      const catalog = new TargetCatalog(targetsFileSchema.parse({ targets: [entry()] }));
      await bed.startRuntime(new ExecutorRegistry().register(new PgBouncerPoolAdapter()), catalog);
      const grow = bed.decision({
        target: { kind: 'PgBouncerPool', id: 'db/test' },
        setting: 'default_pool_size',
        from: 25,
        to: 500,
      });
      await bed.produce(grow);
      const result = await bed.waitFor('result', () => bed.resultsFor(grow.decisionId)[0]);
      expect(result).toMatchObject({
        status: 'applied',
        before: 25,
        after: 60,
        verified: true,
        note: 'clamped from 500 to 60 by bounds [5, 60]',
      });
      expect(await configValue('default_pool_size')).toBe('60');
    } finally {
      await bed.stop();
    }
  });
});

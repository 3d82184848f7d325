import { randomUUID } from 'node:crypto';
import type { ScaleDecision } from '@surge/contracts';
import { targetEntrySchema } from '@surge/executor-core';
import { ApplyRunner, BaselineStore, ExecutorErrorCode, type ResolvedTarget } from '@surge/executor-framework';
import { startPrivatePostgres, type PrivatePostgres } from '@surge/harness';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabaseAdapter } from './postgres-database.adapter';

describe('PostgresDatabaseAdapter against a private PostgreSQL', () => {
  let pg: PrivatePostgres;
  let redis: Redis;
  let runner: ApplyRunner;
  let target: ResolvedTarget;
  const adapter = new PostgresDatabaseAdapter();

  const query = async (sql: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const decision = (setting: string, from: number, to: number, direction: 'up' | 'down') =>
    ({
      decisionId: `d-${randomUUID()}`,
      target: { kind: 'PostgresDatabase', id: 'db/test' },
      setting,
      from,
      to,
      direction,
    }) as ScaleDecision;

  beforeAll(async () => {
    pg = await startPrivatePostgres({ database: 'test' });
    redis = new Redis(process.env.REDIS_URL!);
    runner = new ApplyRunner(
      {
        retry: { retries: 1, baseDelayMs: 20, maxDelayMs: 50 },
        attemptTimeoutMs: 3000,
        verifyTimeoutMs: 3000,
        verifyIntervalMs: 50,
      },
      new BaselineStore(redis, `test:pgdb:${randomUUID()}`),
    );
    await query('CREATE ROLE shop_app LOGIN');
    target = {
      entry: targetEntrySchema.parse({
        id: 'db/test',
        kind: 'PostgresDatabase',
        bounds: {
          database_connection_limit: { min: 5, max: 200 },
          role_connection_limit: { min: 5, max: 100 },
          work_mem: { min: 1024, max: 65536 },
          shared_buffers: { min: 1, max: 1e6 },
        },
        options: { role: 'shop_app' },
      }),
      connection: pg.url,
    };
  });
  afterAll(async () => {
    redis?.disconnect();
    await pg?.stop();
  });

  it('sets database and role connection limits, read back from the catalogs', async () => {
    const db = await runner.run(adapter, target, decision('database_connection_limit', -1, 50, 'up'), 50);
    expect(db).toEqual({ ok: true, before: -1, after: 50, verified: true, changed: true });
    expect(await query("SELECT datconnlimit FROM pg_database WHERE datname = 'test'")).toEqual([{ datconnlimit: 50 }]);
    const role = await runner.run(adapter, target, decision('role_connection_limit', -1, 20, 'up'), 20);
    expect(role).toEqual({ ok: true, before: -1, after: 20, verified: true, changed: true });
    expect(await query("SELECT rolconnlimit FROM pg_roles WHERE rolname = 'shop_app'")).toEqual([{ rolconnlimit: 20 }]);
  });

  it('raises a reloadable setting with ALTER SYSTEM, then restores the baseline with ALTER SYSTEM RESET on scale-down', async () => {
    const before = Number((await query("SELECT setting FROM pg_settings WHERE name = 'work_mem'"))[0].setting);
    const up = await runner.run(adapter, target, decision('work_mem', before, 16384, 'up'), 16384);
    expect(up).toEqual({ ok: true, before, after: 16384, verified: true, changed: true });
    expect(
      await query(
        "SELECT setting FROM pg_file_settings WHERE name = 'work_mem' AND sourcefile LIKE '%postgresql.auto.conf'",
      ),
    ).toEqual([{ setting: '16384' }]);

    const further = await runner.run(adapter, target, decision('work_mem', 16384, 32768, 'up'), 32768);
    expect(further).toMatchObject({ ok: true, before: 16384, after: 32768 });

    // Asked to go below the saved baseline: the baseline is restored, not the asked-for value.
    const down = await runner.run(adapter, target, decision('work_mem', 32768, 1024, 'down'), 1024);
    expect(down).toEqual({ ok: true, before: 32768, after: before, verified: true, changed: true });
    expect(
      await query(
        "SELECT setting FROM pg_file_settings WHERE name = 'work_mem' AND sourcefile LIKE '%postgresql.auto.conf'",
      ),
    ).toEqual([]);
  });

  it('refuses a setting that needs a restart, with the reason', async () => {
    const outcome = await runner.run(adapter, target, decision('shared_buffers', 16384, 32768, 'up'), 32768);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatchObject({
      code: ExecutorErrorCode.Refused,
      message:
        "shared_buffers needs a server restart (pg_settings.context = 'postmaster'); Surge only changes settings a reload applies",
    });
    expect(
      await query(
        "SELECT count(*)::int AS n FROM pg_file_settings WHERE name = 'shared_buffers' AND sourcefile LIKE '%auto.conf'",
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('refuses setting names the targets file does not name, even under catch-all bounds', async () => {
    const loose: ResolvedTarget = {
      entry: targetEntrySchema.parse({ id: 'db/test', kind: 'PostgresDatabase', bounds: { min: 0, max: 1e9 } }),
      connection: pg.url,
    };
    for (const setting of ['max_wal_size', 'work_mem = 1; DROP DATABASE test; --']) {
      const outcome = await runner.run(adapter, loose, decision(setting, 0, 4096, 'up'), 4096);
      expect(outcome).toMatchObject({ ok: false, error: { code: ExecutorErrorCode.Refused } });
    }
    expect(await query("SELECT count(*)::int AS n FROM pg_database WHERE datname = 'test'")).toEqual([{ n: 1 }]);
    expect(
      await query(
        "SELECT count(*)::int AS n FROM pg_file_settings WHERE name = 'max_wal_size' AND sourcefile LIKE '%auto.conf'",
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('observes limits, bounded settings and connections', async () => {
    expect(await adapter.observe(target)).toMatchObject({
      database_connection_limit: 50,
      role_connection_limit: 20,
      work_mem: expect.any(Number),
      connections: expect.any(Number),
    });
  });
});

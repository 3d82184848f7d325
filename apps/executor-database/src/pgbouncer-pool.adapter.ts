import { readFile, writeFile } from 'node:fs/promises';
import {
  type ApplyContext,
  type Executor,
  ExecutorError,
  ExecutorErrorCode,
  type ResolvedTarget,
} from '@surge/executor-framework';
import type { Client } from 'pg';
import { z } from 'zod';
import { withConnection } from './pg-connection';
import { withDatabasePoolSize } from './pgbouncer-ini';

/** Settings the admin console's SET changes at run time. A RELOAD would re-read the ini and undo them. */
const RUNTIME_SETTINGS = ['default_pool_size', 'max_client_conn', 'reserve_pool_size'] as const;
const POOL_SIZE = 'pool_size';

const optionsSchema = z.object({
  /** For `pool_size`: the [databases] entry to resize, and the ini file this executor may rewrite. */
  database: z.string().min(1).optional(),
  iniPath: z.string().min(1).optional(),
});

/** PgBouncer through its admin console (the target's connection is the admin URL, database `pgbouncer`). */
export class PgBouncerPoolAdapter implements Executor {
  readonly kinds = ['PgBouncerPool'] as const;

  async read(target: ResolvedTarget, setting: string): Promise<number> {
    return withConnection(target.connection, `read ${setting} of ${target.entry.id}`, async (admin) => {
      if (setting === POOL_SIZE) return databasePoolSize(admin, poolOptions(target).database);
      assertRuntime(setting);
      return (await showConfig(admin))[setting]!;
    });
  }

  async apply(target: ResolvedTarget, setting: string, value: number, _ctx: ApplyContext): Promise<void> {
    if (setting === POOL_SIZE) return this.applyDatabasePoolSize(target, value);
    assertRuntime(setting);
    await withConnection(target.connection, `SET ${setting} on ${target.entry.id}`, async (admin) => {
      await admin.query(`SET ${setting} = ${Math.trunc(value)}`);
    });
  }

  async observe(target: ResolvedTarget): Promise<Record<string, number>> {
    return withConnection(target.connection, `observe ${target.entry.id}`, async (admin) => {
      const config = await showConfig(admin);
      const pools = (await admin.query('SHOW POOLS')).rows as {
        cl_active: string;
        cl_waiting: string;
        sv_active: string;
      }[];
      const sum = (field: 'cl_active' | 'cl_waiting' | 'sv_active') =>
        pools.reduce((total, p) => total + Number(p[field] ?? 0), 0);
      const observed: Record<string, number> = Object.fromEntries(RUNTIME_SETTINGS.map((s) => [s, config[s]!]));
      observed['cl_active'] = sum('cl_active');
      observed['cl_waiting'] = sum('cl_waiting');
      observed['sv_active'] = sum('sv_active');
      const { database } = target.entry.options as { database?: string };
      if (database) observed[POOL_SIZE] = await databasePoolSize(admin, database);
      return observed;
    });
  }

  /**
   * Rewrites the ini then RELOADs. RELOAD also re-reads the global settings, so values set at run time with SET are
   * captured before and set again after: resizing one database must not silently undo an earlier decision.
   */
  private async applyDatabasePoolSize(target: ResolvedTarget, value: number): Promise<void> {
    const { database, iniPath } = poolOptions(target);
    if (!iniPath)
      throw new ExecutorError(ExecutorErrorCode.Refused, `${target.entry.id}: pool_size needs options.iniPath`);
    const ini = await readFile(iniPath, 'utf8');
    let rewritten: string;
    try {
      rewritten = withDatabasePoolSize(ini, database, Math.trunc(value));
    } catch (error) {
      throw new ExecutorError(ExecutorErrorCode.Refused, `${target.entry.id}: ${(error as Error).message}`);
    }
    await withConnection(target.connection, `RELOAD ${target.entry.id}`, async (admin) => {
      const runtime = await showConfig(admin);
      await writeFile(iniPath, rewritten);
      await admin.query('RELOAD');
      const reloaded = await showConfig(admin);
      for (const setting of RUNTIME_SETTINGS) {
        if (reloaded[setting] !== runtime[setting]) await admin.query(`SET ${setting} = ${runtime[setting]}`);
      }
    });
  }
}

function poolOptions(target: ResolvedTarget): { database: string; iniPath: string | undefined } {
  const options = optionsSchema.parse(target.entry.options);
  if (!options.database)
    throw new ExecutorError(ExecutorErrorCode.Refused, `${target.entry.id}: pool_size needs options.database`);
  return { database: options.database, iniPath: options.iniPath };
}

function assertRuntime(setting: string): asserts setting is (typeof RUNTIME_SETTINGS)[number] {
  if (!(RUNTIME_SETTINGS as readonly string[]).includes(setting)) {
    throw new ExecutorError(
      ExecutorErrorCode.Refused,
      `PgBouncerPool has no setting ${setting}; it sets ${[...RUNTIME_SETTINGS, POOL_SIZE].join(', ')}`,
    );
  }
}

async function showConfig(admin: Client): Promise<Record<string, number>> {
  const rows = (await admin.query('SHOW CONFIG')).rows as { key: string; value: string }[];
  return Object.fromEntries(
    rows.filter((r) => (RUNTIME_SETTINGS as readonly string[]).includes(r.key)).map((r) => [r.key, Number(r.value)]),
  );
}

async function databasePoolSize(admin: Client, database: string): Promise<number> {
  const rows = (await admin.query('SHOW DATABASES')).rows as { name: string; pool_size: string }[];
  const row = rows.find((r) => r.name === database);
  if (!row) throw new ExecutorError(ExecutorErrorCode.NotFound, `PgBouncer has no database ${database}`);
  return Number(row.pool_size);
}

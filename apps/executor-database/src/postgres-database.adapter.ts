import {
  type ApplyContext,
  type Executor,
  ExecutorError,
  ExecutorErrorCode,
  type ResolvedTarget,
} from '@surge/executor-framework';
import type { Client } from 'pg';
import { z } from 'zod';
import { quoteIdent, withConnection } from './pg-connection';

const DATABASE_LIMIT = 'database_connection_limit';
const ROLE_LIMIT = 'role_connection_limit';
/** pg_settings contexts a reload reaches; `postmaster` needs a restart, `internal`/`backend` cannot be changed live. */
const RELOADABLE_CONTEXTS = new Set(['sighup', 'superuser', 'user']);
const SETTING_NAME = /^[a-z_][a-z0-9_]*$/;

const optionsSchema = z.object({
  /** Defaults to the connection URL's database. */
  database: z.string().min(1).optional(),
  role: z.string().min(1).optional(),
});

/**
 * A PostgreSQL server: connection limits (ALTER DATABASE/ROLE … CONNECTION LIMIT) and reloadable settings
 * (ALTER SYSTEM SET + pg_reload_conf()). A scale-down reaching the value saved before Surge's first raise restores
 * it (ALTER SYSTEM RESET, the runbooks' "reset configuration"), so postgresql.auto.conf does not keep our override.
 */
export class PostgresDatabaseAdapter implements Executor {
  readonly kinds = ['PostgresDatabase'] as const;

  read(target: ResolvedTarget, setting: string): Promise<number> {
    return withConnection(target.connection, `read ${setting} of ${target.entry.id}`, (client) =>
      readSetting(client, target, setting),
    );
  }

  async check(target: ResolvedTarget, setting: string): Promise<void> {
    if (setting === DATABASE_LIMIT || setting === ROLE_LIMIT) return;
    if (!SETTING_NAME.test(setting))
      throw new ExecutorError(ExecutorErrorCode.Refused, `${setting} is not a setting name`);
    // The setting name comes from the decision: only those the targets file names, each with its own bounds, pass.
    if (!serverSettingsOf(target).includes(setting)) {
      throw new ExecutorError(
        ExecutorErrorCode.Refused,
        `${target.entry.id}: ${setting} has no bounds of its own in the targets file`,
      );
    }
    const context = await withConnection(target.connection, `look up ${setting}`, async (client) => {
      const { rows } = await client.query<{ context: string }>('SELECT context FROM pg_settings WHERE name = $1', [
        setting,
      ]);
      return rows[0]?.context;
    });
    if (!context) throw new ExecutorError(ExecutorErrorCode.Refused, `PostgreSQL has no setting ${setting}`);
    if (context === 'postmaster') {
      throw new ExecutorError(
        ExecutorErrorCode.Refused,
        `${setting} needs a server restart (pg_settings.context = 'postmaster'); Surge only changes settings a reload applies`,
      );
    }
    if (!RELOADABLE_CONTEXTS.has(context))
      throw new ExecutorError(
        ExecutorErrorCode.Refused,
        `${setting} cannot be changed on a running server (context '${context}')`,
      );
  }

  async apply(target: ResolvedTarget, setting: string, value: number, ctx: ApplyContext): Promise<number> {
    const id = target.entry.id;
    const baseline = await ctx.baselines.get(id, setting);
    const restore = ctx.decision.direction === 'down' && baseline !== null && value <= baseline;
    if (!restore && ctx.decision.direction === 'up') await ctx.baselines.saveIfAbsent(id, setting, ctx.before);
    const effective = restore ? baseline! : Math.trunc(value);
    await withConnection(target.connection, `set ${setting} on ${id}`, async (client) => {
      const options = optionsOf(target);
      if (setting === DATABASE_LIMIT)
        await client.query(`ALTER DATABASE ${quoteIdent(databaseOf(client, options))} CONNECTION LIMIT ${effective}`);
      else if (setting === ROLE_LIMIT)
        await client.query(`ALTER ROLE ${quoteIdent(roleOf(target, options))} CONNECTION LIMIT ${effective}`);
      else {
        // ALTER SYSTEM takes no bind parameters; the name is checked against SETTING_NAME and the value is a number.
        await client.query(restore ? `ALTER SYSTEM RESET ${setting}` : `ALTER SYSTEM SET ${setting} = ${effective}`);
        await client.query('SELECT pg_reload_conf()');
      }
    });
    if (restore) await ctx.baselines.clear(id, setting);
    return effective;
  }

  observe(target: ResolvedTarget): Promise<Record<string, number>> {
    return withConnection(target.connection, `observe ${target.entry.id}`, async (client) => {
      const options = optionsOf(target);
      const observed: Record<string, number> = { [DATABASE_LIMIT]: await readSetting(client, target, DATABASE_LIMIT) };
      if (options.role) observed[ROLE_LIMIT] = await readSetting(client, target, ROLE_LIMIT);
      for (const setting of serverSettingsOf(target)) observed[setting] = await readSetting(client, target, setting);
      const { rows } = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
        [databaseOf(client, options)],
      );
      observed['connections'] = Number(rows[0]?.n ?? 0);
      return observed;
    });
  }
}

async function readSetting(client: Client, target: ResolvedTarget, setting: string): Promise<number> {
  const options = optionsOf(target);
  let rows: { value: string | number }[];
  if (setting === DATABASE_LIMIT) {
    ({ rows } = await client.query('SELECT datconnlimit AS value FROM pg_database WHERE datname = $1', [
      databaseOf(client, options),
    ]));
  } else if (setting === ROLE_LIMIT) {
    ({ rows } = await client.query('SELECT rolconnlimit AS value FROM pg_roles WHERE rolname = $1', [
      roleOf(target, options),
    ]));
  } else {
    if (!SETTING_NAME.test(setting))
      throw new ExecutorError(ExecutorErrorCode.Refused, `${setting} is not a setting name`);
    ({ rows } = await client.query('SELECT setting AS value FROM pg_settings WHERE name = $1', [setting]));
  }
  if (!rows[0]) throw new ExecutorError(ExecutorErrorCode.NotFound, `${target.entry.id}: ${setting} not found`);
  const value = Number(rows[0].value);
  if (!Number.isFinite(value))
    throw new ExecutorError(ExecutorErrorCode.Refused, `${setting} is not numeric (${rows[0].value})`);
  return value;
}

/** The server settings a target may change are those its targets-file entry gives bounds for. */
function serverSettingsOf(target: ResolvedTarget): string[] {
  const bounds = target.entry.bounds as Record<string, unknown>;
  if ('min' in bounds) return [];
  return Object.keys(bounds).filter((s) => s !== DATABASE_LIMIT && s !== ROLE_LIMIT && SETTING_NAME.test(s));
}

function optionsOf(target: ResolvedTarget) {
  return optionsSchema.parse(target.entry.options);
}

function databaseOf(client: Client, options: z.infer<typeof optionsSchema>): string {
  return options.database ?? client.database!;
}

function roleOf(target: ResolvedTarget, options: z.infer<typeof optionsSchema>): string {
  if (!options.role)
    throw new ExecutorError(ExecutorErrorCode.Refused, `${target.entry.id}: role_connection_limit needs options.role`);
  return options.role;
}

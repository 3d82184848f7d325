import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChecked, spawnLogged, stopPid } from './managed-process';
import { postgresAnswers } from './postgres-probe';
import { assertServiceUserReaches } from './service-user-dir';
import { freePort } from './ports';
import { waitFor } from './wait-for';

export const PGBOUNCER_ADMIN_USER = 'pgbouncer_admin';

export interface LocalPgBouncer {
  /** The database behind PgBouncer, reached through its port. */
  url: string;
  /** The admin console (SHOW POOLS, RELOAD, SET default_pool_size ...). */
  adminUrl: string;
  iniPath: string;
  port: number;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** The PostgreSQL PgBouncer forwards to, e.g. postgres://postgres@127.0.0.1:5432/test. */
  databaseUrl: string;
  defaultPoolSize?: number;
  maxClientConn?: number;
  /** Extra users allowed in besides the database URL's user and the admin. */
  users?: string[];
  dir?: string;
  detached?: boolean;
  timeoutMs?: number;
}

function iniText(options: PgBouncerOptions, dir: string, port: number, users: string[]): string {
  const target = new URL(options.databaseUrl);
  const database = target.pathname.slice(1) || 'postgres';
  const backend = `host=${target.hostname} port=${target.port || '5432'}`;
  return [
    '[databases]',
    `${database} = ${backend} dbname=${database}`,
    // Any other database name goes to the same server, so tests may use databases of their own.
    `* = ${backend}`,
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    `unix_socket_dir = ${dir}`,
    // trust still requires the user name in auth_file: a typo'd user fails loudly instead of passing.
    'auth_type = trust',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    `admin_users = ${PGBOUNCER_ADMIN_USER}`,
    `stats_users = ${users.join(', ')}`,
    'pool_mode = transaction',
    `default_pool_size = ${options.defaultPoolSize ?? 10}`,
    `max_client_conn = ${options.maxClientConn ?? 500}`,
    // node-postgres and JDBC send these at start-up; PgBouncer would reject the connection otherwise.
    'ignore_startup_parameters = extra_float_digits,options,application_name',
    `logfile = ${path.join(dir, 'pgbouncer.log')}`,
    `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
    '',
  ].join('\n');
}

function pgbouncerBinary(): string {
  const debian = '/usr/sbin/pgbouncer';
  return fs.existsSync(debian) ? debian : 'pgbouncer';
}

/** Starts Debian's pgbouncer on a free port with an ini of its own, as the postgres user when we are root. */
export async function startPgBouncer(options: PgBouncerOptions): Promise<LocalPgBouncer> {
  const temporary = options.dir === undefined;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'surge-pgbouncer-'));
  // As root, pgbouncer runs as postgres: its log, pid file and socket must be where that user can reach.
  assertServiceUserReaches('postgres', dir);
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const dbUser = decodeURIComponent(new URL(options.databaseUrl).username) || 'postgres';
  const users = [...new Set([dbUser, PGBOUNCER_ADMIN_USER, ...(options.users ?? [])])];
  const iniPath = path.join(dir, 'pgbouncer.ini');
  fs.writeFileSync(iniPath, iniText(options, dir, port, users));
  fs.writeFileSync(path.join(dir, 'userlist.txt'), users.map((user) => `"${user}" ""`).join('\n') + '\n');
  if (process.getuid?.() === 0)
    await runChecked('chown', ['-R', 'postgres:postgres', dir], 'apt-get install postgresql');

  // pgbouncer refuses to run as root. Its own -u drops privileges in-process (runuser would fork), so the pid we
  // record is pgbouncer's and SIGTERM reaches it directly.
  const args = process.getuid?.() === 0 ? ['-u', 'postgres', iniPath] : [iniPath];
  const proc = spawnLogged({
    command: pgbouncerBinary(),
    args,
    logFile: path.join(dir, 'stdout.log'),
    detached: options.detached,
  });
  const target = new URL(options.databaseUrl);
  const database = target.pathname.slice(1) || 'postgres';
  const url = `postgres://${encodeURIComponent(dbUser)}@127.0.0.1:${port}/${database}`;
  const adminUrl = `postgres://${PGBOUNCER_ADMIN_USER}@127.0.0.1:${port}/pgbouncer`;
  const stop = async (): Promise<void> => {
    await stopPid(proc.pid, iniPath);
    if (temporary) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => postgresAnswers(url), {
      what: `PgBouncer at 127.0.0.1:${port}`,
      fix: `apt-get install pgbouncer (see ${path.join(dir, 'pgbouncer.log')}) or set PGBOUNCER_URL`,
      timeoutMs: options.timeoutMs ?? 15_000,
      abortReason: proc.exitReason,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, adminUrl, iniPath, port, pid: proc.pid, dir, stop };
}

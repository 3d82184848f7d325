import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asServiceUser, runChecked } from './managed-process';
import { assertServiceUserReaches } from './service-user-dir';
import { postgresBinDir } from './postgres-binaries';
import { ensureDatabase, postgresAnswers } from './postgres-probe';
import { freePort } from './ports';
import { waitFor } from './wait-for';

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  /** For outage tests: a fast shutdown (connections closed), the cluster kept. */
  halt(): Promise<void>;
  /** Starts the cluster again on the same port after halt(). */
  resume(): Promise<void>;
}

export interface PrivatePostgresOptions {
  database?: string;
  /** Parent folder of the cluster; defaults to a fresh temporary dir, removed on stop. */
  dir?: string;
  timeoutMs?: number;
}

const SERVICE_USER = 'postgres';

async function chownToServiceUser(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  await runChecked(
    'chown',
    ['-R', `${SERVICE_USER}:${SERVICE_USER}`, dir],
    'create the postgres user (apt-get install postgresql)',
  );
}

/**
 * A PostgreSQL cluster of our own (initdb, trust auth, free port) for tests that change server settings:
 * the shared server on 5432 is never reconfigured. pg_ctl daemonizes it, so it outlives the starting process until stop().
 */
export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const temporary = options.dir === undefined;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'surge-pg-'));
  const dataDir = path.join(dir, 'data');
  assertServiceUserReaches(SERVICE_USER, dir);
  fs.mkdirSync(dir, { recursive: true });
  // initdb needs an empty data dir; a cluster left by an earlier run in a given dir is replaced.
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.chmodSync(dir, 0o755);
  await chownToServiceUser(dir);
  const fix = `see ${path.join(dir, 'postgres.log')}; PostgreSQL must be installed (apt-get install postgresql)`;
  const run = (command: string, args: string[]): Promise<string> =>
    runChecked(...asServiceUser(SERVICE_USER, path.join(bin, command), args), fix);

  await run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  // fsync off: a test cluster's data is thrown away, and it makes ALTER SYSTEM + reload tests faster.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const startServer = () =>
    run('pg_ctl', [
      'start',
      '-w',
      '-t',
      '60',
      '-D',
      dataDir,
      '-l',
      path.join(dir, 'postgres.log'),
      '-o',
      serverOptions,
    ]);
  await startServer();

  const stop = async (): Promise<void> => {
    if (fs.existsSync(path.join(dataDir, 'postmaster.pid')))
      await run('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w']);
    if (temporary) fs.rmSync(dir, { recursive: true, force: true });
  };
  const database = options.database ?? 'test';
  const serverUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitFor(() => postgresAnswers(serverUrl), {
      what: `private PostgreSQL at 127.0.0.1:${port}`,
      fix,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    await ensureDatabase(serverUrl, database);
  } catch (error) {
    await stop();
    throw error;
  }
  const halt = async (): Promise<void> => {
    await run('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w']);
  };
  const resume = async (): Promise<void> => {
    await startServer();
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/${database}`, port, dataDir, stop, halt, resume };
}

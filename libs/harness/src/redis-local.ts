import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killPid, spawnLogged, stopPid } from './managed-process';
import { freePort } from './ports';
import { redisAnswers } from './redis-probe';
import { waitFor } from './wait-for';

export interface PrivateRedis {
  url: string;
  port: number;
  pid: number;
  dir: string;
  stop(): Promise<void>;
  /** For outage tests: the server is killed with SIGKILL (it keeps no data, unless started with `appendonly`). */
  kill9(): Promise<void>;
  /** Starts a server again on the same port after kill9(), and waits until it answers (reading its AOF, if any). */
  restart(): Promise<void>;
}

export interface PrivateRedisOptions {
  /** Defaults to a fresh temporary dir, removed on stop. */
  dir?: string;
  detached?: boolean;
  timeoutMs?: number;
  /**
   * Keeps an append-only file in `dir`, fsynced every second (as docker-compose runs Redis): a restart, even after
   * kill -9, comes back with everything but the last second or so of writes. Without it, nothing is persisted.
   */
  appendonly?: boolean;
}

/**
 * A redis-server of our own on a free port, without persistence unless asked for an append-only file, so a test
 * may CONFIG SET anything on it.
 */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const temporary = options.dir === undefined;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'surge-redis-'));
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(dir, 'redis.log');
  const spawnServer = () =>
    spawnLogged({
      command: 'redis-server',
      args: [
        ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
        ...(options.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']),
      ],
      logFile,
      detached: options.detached,
    });
  let proc = spawnServer();
  const url = `redis://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    // redis-server retitles itself "redis-server 127.0.0.1:<port>": the port identifies our process.
    await stopPid(proc.pid, `:${port}`);
    if (temporary) fs.rmSync(dir, { recursive: true, force: true });
  };
  const answering = () =>
    waitFor(() => redisAnswers(url), {
      what: `Redis at ${url}`,
      fix: `apt-get install redis-server (see ${logFile}) or set REDIS_URL`,
      timeoutMs: options.timeoutMs ?? 15_000,
      abortReason: proc.exitReason,
    });
  try {
    await answering();
  } catch (error) {
    await stop();
    throw error;
  }
  const kill9 = () => killPid(proc.pid, `:${port}`);
  const restart = async (): Promise<void> => {
    proc = spawnServer();
    await answering();
  };
  return { url, port, pid: proc.pid, dir, stop, kill9, restart };
}

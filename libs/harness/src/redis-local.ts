import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnLogged, stopPid } from './managed-process';
import { freePort } from './ports';
import { redisAnswers } from './redis-probe';
import { waitFor } from './wait-for';

export interface PrivateRedis {
  url: string;
  port: number;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

export interface PrivateRedisOptions {
  /** Defaults to a fresh temporary dir, removed on stop. */
  dir?: string;
  detached?: boolean;
  timeoutMs?: number;
}

/** A redis-server of our own on a free port, without persistence, so a test may CONFIG SET anything on it. */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const temporary = options.dir === undefined;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'surge-redis-'));
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(dir, 'redis.log');
  const proc = spawnLogged({
    command: 'redis-server',
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    logFile,
    detached: options.detached,
  });
  const url = `redis://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    // redis-server retitles itself "redis-server 127.0.0.1:<port>": the port identifies our process.
    await stopPid(proc.pid, `:${port}`);
    if (temporary) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => redisAnswers(url), {
      what: `Redis at ${url}`,
      fix: `apt-get install redis-server (see ${logFile}) or set REDIS_URL`,
      timeoutMs: options.timeoutMs ?? 15_000,
      abortReason: proc.exitReason,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, pid: proc.pid, dir, stop };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import type { Redis } from 'ioredis';
import path from 'node:path';
import { freePort, queueKeyEncryptionFile, repoRoot } from '@surge/harness';
import type { QueueRepository } from '../../../apps/virtual-queue/src/redis/queue.repository';
import { loadKeyEncryptionKey, type Sealed, unseal } from '../../../apps/virtual-queue/src/tokens/key-sealing';
import { ticketSecretAad } from '../../../apps/virtual-queue/src/tokens/keyring';

/** The queue seals its keys in Redis with this secret; the bench holds it too, to make ticket ids of seeded visitors. */
const benchKeyFile = () => queueKeyEncryptionFile(path.join(repoRoot(), '.surge', 'bench'));

export const ADMIN = 'bench-admin-token-0123456789';

export function visitorId(i: number): string {
  // 16 characters, the size of a typical opaque visitor id (a shortened UUID or a session hash).
  return `v${i.toString(36).padStart(15, '0')}`;
}

export async function startQueueProcess(
  root: string,
  redisUrl: string,
  prefix: string,
): Promise<{ url: string; proc: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['dist/apps/virtual-queue/src/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      KAFKA_BROKERS: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      SURGE_ADMIN_TOKEN: ADMIN,
      VQ_KEY_PREFIX: prefix,
      VQ_JOIN_LIMIT_PER_IP: '1000000000',
      VQ_KEY_ENCRYPTION_KEY_FILE: benchKeyFile(),
      VQ_RUN_ADMITTER: 'false',
      LOG_LEVEL: 'warn',
      // For profiling a run (`--cpu-prof`, say); empty by default.
      NODE_OPTIONS: process.env['BENCH_QUEUE_NODE_OPTIONS'] ?? '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  // A minute: on the shared 2-core machine a cold start under load has taken longer than ten seconds.
  for (let i = 0; i < 600; i++) {
    if ((await fetch(`${url}/health/ready`).catch(() => null))?.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () =>
    new Promise<void>((resolve) =>
      proc.exitCode !== null ? resolve() : (proc.once('exit', () => resolve()), proc.kill('SIGTERM')),
    );
  return { url, proc, stop };
}

export async function configureRoom(url: string, room: string, body: object): Promise<void> {
  const response = await fetch(`${url}/v1/admin/rooms/${room}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`configure ${room}: ${response.status} ${await response.text()}`);
}

export function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

/** The baseline: the same script an HTTP join runs (per-IP counter and join in one), from a plain ioredis client. */
export async function plainClientJoins(
  repo: QueueRepository,
  room: string,
  seconds: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const deadline = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < deadline) {
      const id = `b${next++}`;
      await repo.join(room, id, { ip: '127.0.0.1', perWindow: 1_000_000_000, windowSeconds: 60 });
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return next / ((Date.now() - started) / 1000);
}

export async function fill(repo: QueueRepository, room: string, count: number, batch = 5000): Promise<number> {
  const started = Date.now();
  for (let from = 0; from < count; from += batch) {
    const jobs: Promise<unknown>[] = [];
    for (let i = from; i < Math.min(count, from + batch); i++) jobs.push(repo.join(room, visitorId(i)));
    await Promise.all(jobs);
    if (from % 100_000 === 0) process.stderr.write(`bench: filled ${from}\n`);
  }
  return (Date.now() - started) / 1000;
}

export async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

/** Bytes per structure of one room: MEMORY USAGE summed over each kind of key. */
export async function breakdown(
  client: Redis,
  roomPrefix: string,
): Promise<Record<string, { keys: number; bytes: number }>> {
  const kinds: Record<string, { keys: number; bytes: number }> = {};
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${roomPrefix}*`, 'COUNT', 5000);
    cursor = next;
    const sizes = await Promise.all(keys.map((key) => client.memory('USAGE', key, 'SAMPLES', '0')));
    keys.forEach((key, i) => {
      const kind = key.slice(roomPrefix.length).split(':')[0]!;
      const entry = (kinds[kind] ??= { keys: 0, bytes: 0 });
      entry.keys++;
      entry.bytes += Number(sizes[i] ?? 0);
    });
  } while (cursor !== '0');
  return kinds;
}

export async function ticketIdFor(client: Redis, prefix: string, room: string, visitor: string): Promise<string> {
  const mac = (await queueMac(client, prefix))(`${room}\0${visitor}`);
  return `${Buffer.from(visitor).toString('base64url')}.${mac}`;
}

/** The queue's MAC (SigningKeysService.mac) with the ticket secret it sealed in Redis: ticket ids, join challenges. */
export async function queueMac(client: Redis, prefix: string): Promise<(message: string) => string> {
  const stored = JSON.parse((await client.get(`${prefix}vq:signing-key`))!) as { ticketSecret: Sealed };
  const secret = unseal(loadKeyEncryptionKey(benchKeyFile()), stored.ticketSecret, ticketSecretAad);
  return (message) => createHmac('sha256', secret).update(message).digest('base64url').slice(0, 22);
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

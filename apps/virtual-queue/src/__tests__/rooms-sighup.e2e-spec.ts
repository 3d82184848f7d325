import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type PrivateRedis, repoRoot, startPrivateRedis } from '@surge/harness';
import { testKeyEncryptionKeyFile, waitUntil } from '../testing/test-app';

const ADMIN = 'e2e-admin-token-0123456789abcdef';
let redis: PrivateRedis;
let app: ChildProcess;
let base: string;
let dir: string;
let file: string;
const maxActive = async () => {
  const response = await fetch(`${base}/v1/admin/rooms/tickets/stats`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  return response.ok ? ((await response.json()) as { config: { maxActive: number } }).config.maxActive : null;
};

beforeAll(async () => {
  redis = await startPrivateRedis();
  dir = mkdtempSync(path.join(os.tmpdir(), 'surge-rooms-e2e-'));
  file = path.join(dir, 'rooms.yaml');
  writeFileSync(file, 'rooms:\n  tickets:\n    maxActive: 4\n');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, ['dist/apps/virtual-queue/src/main.js'], {
    cwd: repoRoot(),
    env: {
      ...process.env,
      KAFKA_BROKERS: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      SURGE_ADMIN_TOKEN: ADMIN,
      VQ_ROOMS_FILE: file,
      // The reload is what this spec shows: the room must not come back by itself first.
      VQ_ROOMS_RESTORE_INTERVAL_MS: '0',
      VQ_KEY_ENCRYPTION_KEY_FILE: testKeyEncryptionKeyFile(),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitUntil(async () => (await fetch(`${base}/health/ready`).catch(() => null))?.ok);
}, 60_000);

afterAll(async () => {
  app?.kill('SIGTERM');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built service on SIGHUP', () => {
  it('reloads the rooms file and keeps running, also after Redis lost the room', async () => {
    expect(await waitUntil(maxActive)).toBe(4);
    writeFileSync(file, 'rooms:\n  tickets:\n    maxActive: 9\n');
    app.kill('SIGHUP');
    await waitUntil(async () => (await maxActive()) === 9);
    expect(app.exitCode).toBeNull();
    expect(app.signalCode).toBeNull();

    const client = new Redis(redis.url);
    await client.flushall();
    client.disconnect();
    const join = () =>
      fetch(`${base}/v1/rooms/tickets/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await join()).status).toBe(503);
    app.kill('SIGHUP');
    await waitUntil(async () => (await join()).status === 200);
    expect(app.exitCode).toBeNull();
  });
});

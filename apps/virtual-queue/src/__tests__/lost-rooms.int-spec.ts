import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from '@surge/harness';
import { startTestApp, type TestApp, waitUntil } from '../testing/test-app';

let redis: PrivateRedis;
let t: TestApp;
let dir: string;
const join = (visitorId: string) => t.call('POST', '/v1/rooms/tickets/join', { visitorId });

beforeAll(async () => {
  // A private Redis: this spec kills and flushes it.
  redis = await startPrivateRedis();
  dir = mkdtempSync(path.join(os.tmpdir(), 'surge-lost-rooms-'));
  const file = path.join(dir, 'rooms.yaml');
  writeFileSync(file, 'rooms:\n  tickets:\n    maxActive: 2\n    admitPerMinute: 120\n');
  t = await startTestApp({
    REDIS_URL: redis.url,
    VQ_ROOMS_FILE: file,
    VQ_UNAVAILABLE_RETRY_AFTER_SECONDS: '3',
    VQ_ROOMS_RESTORE_INTERVAL_MS: '300',
  });
  await waitUntil(async () => (await join('first')).status === 200);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the waiting room through a Redis outage and a Redis loss, by itself (private Redis)', () => {
  it('answers 503 store_unavailable with Retry-After while Redis is down, not 500, and serves once it is back', async () => {
    await redis.kill9();
    const refused = await join('during-outage');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(await refused.json()).toMatchObject({ error: 'store_unavailable' });
    await redis.restart();
    // Restarted without persistence: the room is gone too, and comes back from the file with no reload.
    await waitUntil(async () => (await join('after-outage')).status === 200, 30_000);
  }, 60_000);

  it('re-creates a room of the file that a flush lost, without a reload, its settings from the file', async () => {
    const flusher = new Redis(redis.url);
    try {
      await flusher.flushall();
    } finally {
      flusher.disconnect();
    }
    const answers: number[] = [];
    await waitUntil(async () => {
      const status = (await join(`after-flush-${answers.length}`)).status;
      answers.push(status);
      return status === 200;
    }, 30_000);
    // Meanwhile only 503 (gone, being restored) or 200: never 404, never 500.
    expect(answers.every((status) => status === 503 || status === 200)).toBe(true);
    const stats = (await (await t.admin('GET', '/v1/admin/rooms/tickets/stats')).json()) as {
      config: Record<string, unknown>;
      sources: Record<string, string>;
    };
    expect(stats.config).toMatchObject({ maxActive: 2, admitPerMinute: 120 });
    expect(stats.sources.maxActive).toBe('file');
  }, 60_000);
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from '@surge/harness';
import { startTestApp, type TestApp, waitUntil } from '../testing/test-app';

interface Stats {
  config: Record<string, unknown>;
  sources: Record<string, string>;
}

let redis: PrivateRedis;
let flusher: Redis;
let t: TestApp;
let dir: string;
let file: string;
const writeRooms = (yaml: string) => writeFileSync(file, yaml);
const join = (room: string, visitorId: string) => t.call('POST', `/v1/rooms/${room}/join`, { visitorId });
const stats = async (room: string) => (await (await t.admin('GET', `/v1/admin/rooms/${room}/stats`)).json()) as Stats;
const reload = () => t.admin('POST', '/v1/admin/rooms-file/reload');

beforeAll(async () => {
  // A private Redis: this spec flushes it, as a restart without persistence would.
  redis = await startPrivateRedis();
  flusher = new Redis(redis.url);
  dir = mkdtempSync(path.join(os.tmpdir(), 'surge-rooms-'));
  file = path.join(dir, 'rooms.yaml');
  writeRooms('rooms:\n  tickets:\n    maxActive: 2\n    admitPerMinute: 120\n');
  // Restores by reload only: lost-rooms.int-spec.ts shows the rooms coming back by themselves.
  t = await startTestApp({
    REDIS_URL: redis.url,
    VQ_ROOMS_FILE: file,
    VQ_UNAVAILABLE_RETRY_AFTER_SECONDS: '7',
    VQ_ROOMS_RESTORE_INTERVAL_MS: '0',
  });
}, 60_000);

afterAll(async () => {
  await t?.close();
  flusher?.disconnect();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('declarative rooms through a Redis loss (private Redis)', () => {
  it('creates the file rooms at start, every setting from the file', async () => {
    const first = await waitUntil(async () => {
      const response = await t.admin('GET', '/v1/admin/rooms/tickets/stats');
      return response.ok ? ((await response.json()) as Stats) : null;
    });
    expect(first.config).toMatchObject({ maxActive: 2, admitPerMinute: 120, mode: 'queue', sessionSeconds: 600 });
    expect(new Set(Object.values(first.sources))).toEqual(new Set(['file']));
    expect((await join('tickets', 'v1')).status).toBe(200);
  });

  it('an admin PUT of one setting leaves the others as the file set them', async () => {
    expect((await t.admin('PUT', '/v1/admin/rooms/tickets', { maxActive: 5 })).status).toBe(200);
    const after = await stats('tickets');
    expect(after.config).toMatchObject({ maxActive: 5, admitPerMinute: 120, sessionSeconds: 600, mode: 'queue' });
    expect(after.sources).toMatchObject({ maxActive: 'admin', admitPerMinute: 'file', mode: 'file' });
  });

  it('a reload takes the new file for file-set settings and keeps the admin change', async () => {
    writeRooms('rooms:\n  tickets:\n    maxActive: 3\n    admitPerMinute: 240\n');
    const response = await reload();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rooms: { room: string; changed: string[]; kept: string[] }[] };
    expect(body.rooms).toEqual([{ room: 'tickets', created: false, changed: ['admitPerMinute'], kept: ['maxActive'] }]);
    expect((await stats('tickets')).config).toMatchObject({ maxActive: 5, admitPerMinute: 240 });
  });

  it('refuses a bad file on reload, naming the field, and keeps the previous one', async () => {
    writeRooms('rooms:\n  tickets:\n    maxActive: -4\n    colour: red\n');
    const response = await reload();
    expect(response.status).toBe(400);
    const message = ((await response.json()) as { message: string }).message;
    expect(message).toContain('rooms.tickets.maxActive');
    expect(message).toContain('colour');
    expect((await stats('tickets')).config).toMatchObject({ maxActive: 5, admitPerMinute: 240 });
    writeRooms('rooms:\n  tickets:\n    maxActive: 3\n    admitPerMinute: 240\n');
  });

  it('answers 503 room_unavailable with Retry-After once Redis lost the room, and serves again after a reload', async () => {
    const ticket = ((await (await join('tickets', 'before-flush')).json()) as { ticketId: string }).ticketId;
    await flusher.flushall();

    const refused = await join('tickets', 'after-flush');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(await refused.json()).toMatchObject({ error: 'room_unavailable' });
    const lookup = await t.call('GET', `/v1/rooms/tickets/tickets/${ticket}`);
    expect(lookup.status).toBe(503);
    expect(lookup.headers.get('retry-after')).toBe('7');
    // A room nobody ever configured is still simply unknown.
    const unknown = await join('never-configured', 'v');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'unknown_room' });

    const restored = await reload();
    expect(restored.status).toBe(200);
    expect(((await restored.json()) as { rooms: { created: boolean }[] }).rooms[0]!.created).toBe(true);
    expect((await join('tickets', 'after-reload')).status).toBe(200);
    // The admin change lived in the lost Redis: the room is back as the file says, and the old ticket is gone.
    const back = await stats('tickets');
    expect(back.config).toMatchObject({ maxActive: 3, admitPerMinute: 240 });
    expect(back.sources.maxActive).toBe('file');
    expect((await t.call('GET', `/v1/rooms/tickets/tickets/${ticket}`)).status).toBe(410);
  });

  it('puts the signing keys back on reload, so an instance started after the loss verifies the same tickets', async () => {
    const ticket = ((await (await join('tickets', 'keys')).json()) as { ticketId: string }).ticketId;
    await flusher.flushall();
    expect((await reload()).status).toBe(200);
    const second = await startTestApp({ REDIS_URL: redis.url, VQ_KEY_PREFIX: t.config.VQ_KEY_PREFIX });
    try {
      // Genuine (the same MAC secret), though the ticket itself was lost with Redis: 410, not 404 unknown_ticket.
      expect((await second.call('GET', `/v1/rooms/tickets/tickets/${ticket}`)).status).toBe(410);
    } finally {
      await second.app.close();
    }
  });

  it('re-creates a lost room from the file on the next start', async () => {
    await flusher.flushall();
    await t.close();
    t = await startTestApp({ REDIS_URL: redis.url, VQ_ROOMS_FILE: file });
    await waitUntil(async () => (await join('tickets', 'next-start')).status === 200);
  });

  it('stops at boot on a bad rooms file, naming the field', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'rooms:\n  tickets:\n    mode: open\n');
    await expect(startTestApp({ REDIS_URL: redis.url, VQ_ROOMS_FILE: bad })).rejects.toThrow(/rooms\.tickets\.mode/);
  });
});

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeRoomConfig } from '@surge/queue-core';
import { QueueRepository } from '../redis/queue.repository';
import { roomStateKey } from '../redis/room-keys';
import { ROOM_LAYOUT_VERSION, RoomLayoutMismatch } from '../redis/room-layout';
import { deleteKeys } from '../testing/delete-keys';
import { startTestApp } from '../testing/test-app';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];

afterAll(async () => {
  await deleteKeys(REDIS_URL, prefixes);
  await redis.quit();
});

async function room(): Promise<{ repo: QueueRepository; key: string }> {
  const prefix = `test:vq:${randomUUID()}:`;
  prefixes.push(prefix);
  const repo = new QueueRepository(redis, prefix);
  await repo.configure('sale', mergeRoomConfig(null, { maxActive: 1, admitPerMinute: 6000 }));
  return { repo, key: roomStateKey(prefix, 'sale') };
}

describe('the room layout version in Redis (real Redis)', () => {
  it('stamps a room with the layout it is written in', async () => {
    const { key } = await room();
    expect(await redis.hget(key, 'layout')).toBe(String(ROOM_LAYOUT_VERSION));
  });

  it('reads a room written before rooms carried a version as version 1, and stamps it', async () => {
    const { repo, key } = await room();
    await repo.join('sale', 'early');
    await redis.hdel(key, 'layout');
    const ticket = await repo.join('sale', 'late');
    expect(ticket.state).toBe('waiting');
    expect((await repo.status('sale', 'early', false)).state).toBe('waiting');
    expect(await redis.hget(key, 'layout')).toBe('1');
    expect((await repo.counters('sale'))!.counters.joined).toBe(2);
  });

  it('refuses a room in a layout it does not know, on every path, and changes nothing', async () => {
    const { repo, key } = await room();
    await repo.join('sale', 'v1');
    await redis.hset(key, 'layout', '2');
    const before = await redis.hgetall(key);
    const paths: [string, () => Promise<unknown>][] = [
      ['join', () => repo.join('sale', 'v2')],
      ['status', () => repo.status('sale', 'v1', true)],
      ['leave', () => repo.leave('sale', 'v1')],
      ['complete', () => repo.complete('sale', 'v1')],
      ['admit', () => repo.admit('sale')],
      ['sweep', () => repo.sweep('sale')],
      ['configure', () => repo.configure('sale', mergeRoomConfig(null, { maxActive: 99 }))],
      ['getConfig', () => repo.getConfig('sale')],
      ['counters', () => repo.counters('sale')],
    ];
    for (const [name, call] of paths) {
      const error = await call().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error, name).toBeInstanceOf(RoomLayoutMismatch);
      expect((error as RoomLayoutMismatch).found, name).toBe('2');
    }
    expect(await redis.hgetall(key)).toEqual(before);
  });

  it('answers a visitor of such a room 503 with Retry-After, not a misread ticket', async () => {
    const t = await startTestApp();
    try {
      expect((await t.admin('PUT', '/v1/admin/rooms/sale', { maxActive: 1 })).status).toBe(200);
      await redis.hset(roomStateKey(t.config.VQ_KEY_PREFIX, 'sale'), 'layout', '2');
      const response = await t.call('POST', '/v1/rooms/sale/join', { visitorId: 'v1' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe(String(t.config.VQ_UNAVAILABLE_RETRY_AFTER_SECONDS));
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe('room_layout_unknown');
      expect(body.message).toContain('layout 2');
    } finally {
      await t.close();
    }
  });
});

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAnswers } from './redis-probe';
import { startPrivateRedis, type PrivateRedis } from './redis-local';

describe('startPrivateRedis', () => {
  let redis: PrivateRedis;
  let client: Redis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('runs without persistence on a port of its own', async () => {
    expect(redis.port).not.toBe(6379);
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
  });

  it('accepts CONFIG SET', async () => {
    await client.config('SET', 'maxmemory', '64mb');
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    expect(await client.config('GET', 'maxmemory')).toEqual(['maxmemory', String(64 * 1024 * 1024)]);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
  });

  it('stops on stop() and removes its dir', async () => {
    const { url } = redis;
    await redis.stop();
    expect(await redisAnswers(url)).toBe(false);
  });
});

describe('startPrivateRedis with appendonly', () => {
  it('keeps its data through a kill -9 and a restart (AOF, fsync every second)', async () => {
    const redis = await startPrivateRedis({ appendonly: true });
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    try {
      await client.connect();
      expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
      await client.set('room', 'kept');
      // everysec: a write is on disk within about a second.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await redis.kill9();
      await redis.restart();
      expect(await client.get('room')).toBe('kept');
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });
});

describe('REDIS_URL provided by the harness', () => {
  it('answers PING', async () => {
    expect(await redisAnswers(process.env.REDIS_URL!)).toBe(true);
  });
});

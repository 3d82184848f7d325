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

describe('REDIS_URL provided by the harness', () => {
  it('answers PING', async () => {
    expect(await redisAnswers(process.env.REDIS_URL!)).toBe(true);
  });
});

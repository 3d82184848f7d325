import { startPrivateRedis, type PrivateRedis } from '@surge/harness';
import { TargetCatalog, targetEntrySchema, targetsFileSchema } from '@surge/executor-core';
import { ExecutorErrorCode, ExecutorRegistry, type ResolvedTarget } from '@surge/executor-framework';
import { ExecutorTestBed } from '@surge/executor-framework/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCacheAdapter } from './redis-cache.adapter';

const MiB = 1024 * 1024;

describe('RedisCacheAdapter against a private redis-server', () => {
  let redis: PrivateRedis;
  let client: Redis;
  let adapter: RedisCacheAdapter;
  const entry = {
    id: 'cache/main',
    kind: 'RedisCache',
    connection: { env: 'TEST_CACHE_REDIS_URL' },
    bounds: { maxmemory: { min: 0, max: 1024 * MiB }, ttl_profile: { min: 0, max: 1 } },
    options: {
      maxmemoryPolicy: 'allkeys-lru',
      headroomBytes: 8 * MiB,
      ttlProfiles: [
        { name: 'normal', ttls: { product: 60, listing: 30 } },
        { name: 'surge', ttls: { product: 600 } },
      ],
    },
  };
  let target: ResolvedTarget;
  const ctx = (decisionId: string) => ({ decision: { decisionId } as never, before: 0, baselines: {} as never });

  beforeAll(async () => {
    redis = await startPrivateRedis();
    process.env['TEST_CACHE_REDIS_URL'] = redis.url;
    client = new Redis(redis.url);
    adapter = new RedisCacheAdapter();
    target = { entry: targetEntrySchema.parse(entry), connection: redis.url };
  });
  afterAll(async () => {
    await adapter.close();
    client.disconnect();
    await redis.stop();
  });

  it('sets maxmemory and the eviction policy together, read back by CONFIG GET and INFO memory', async () => {
    expect(await adapter.read(target, 'maxmemory')).toBe(0);
    await adapter.check(target, 'maxmemory', 256 * MiB);
    await adapter.apply(target, 'maxmemory', 256 * MiB, ctx('d-1'));
    expect(await client.config('GET', 'maxmemory')).toEqual(['maxmemory', String(256 * MiB)]);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
    expect(await adapter.observe(target)).toMatchObject({ maxmemory: 256 * MiB, ttl_profile: 0 });
  });

  it('refuses a maxmemory below used_memory plus headroom', async () => {
    const used = Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
    await expect(adapter.check(target, 'maxmemory', used + MiB)).rejects.toMatchObject({
      code: ExecutorErrorCode.Refused,
      message: expect.stringMatching(
        /^maxmemory \d+ is below used_memory \d+ \+ headroom 8388608: Redis would evict at once$/,
      ),
    });
    expect(await adapter.read(target, 'maxmemory')).toBe(256 * MiB);
  });

  it('writes the TTL profile hash and replaces it whole on a change', async () => {
    await adapter.apply(target, 'ttl_profile', 0, ctx('d-normal'));
    expect(await client.hgetall('surge:cache:ttl-profile')).toMatchObject({
      level: '0',
      profile: 'normal',
      'ttl:product': '60',
      'ttl:listing': '30',
      decisionId: 'd-normal',
    });
    await adapter.apply(target, 'ttl_profile', 1, ctx('d-surge'));
    const hash = await client.hgetall('surge:cache:ttl-profile');
    expect(hash).toMatchObject({ level: '1', profile: 'surge', 'ttl:product': '600', decisionId: 'd-surge' });
    expect(hash['ttl:listing']).toBeUndefined();
    expect(await adapter.read(target, 'ttl_profile')).toBe(1);
    await expect(adapter.check(target, 'ttl_profile', 2)).rejects.toMatchObject({ code: ExecutorErrorCode.Refused });
  });

  it('runs decisions from Kafka: applied with before/after from the server, refused ones rejected', async () => {
    const bed = new ExecutorTestBed();
    try {
      await bed.start();
      const catalog = new TargetCatalog(targetsFileSchema.parse({ targets: [entry] }));
      await bed.startRuntime(new ExecutorRegistry().register(new RedisCacheAdapter()), catalog);
      const grow = bed.decision({
        target: { kind: 'RedisCache', id: 'cache/main' },
        setting: 'maxmemory',
        from: 256 * MiB,
        to: 512 * MiB,
      });
      const starve = bed.decision({
        target: { kind: 'RedisCache', id: 'cache/main' },
        setting: 'maxmemory',
        from: 512 * MiB,
        to: 1024,
        eventTime: grow.eventTime + 1,
      });
      await bed.produce(grow);
      await bed.waitFor('grow', () => bed.resultsFor(grow.decisionId)[0]);
      await bed.produce(starve);
      await bed.waitFor('starve', () => bed.resultsFor(starve.decisionId)[0]);
      expect(bed.resultsFor(grow.decisionId)[0]).toMatchObject({
        status: 'applied',
        before: 256 * MiB,
        after: 512 * MiB,
        verified: true,
      });
      expect(bed.resultsFor(starve.decisionId)[0]).toMatchObject({
        status: 'rejected',
        before: 512 * MiB,
        error: expect.stringContaining('Redis would evict at once'),
      });
      expect(await client.config('GET', 'maxmemory')).toEqual(['maxmemory', String(512 * MiB)]);
    } finally {
      await bed.stop();
    }
  });
});

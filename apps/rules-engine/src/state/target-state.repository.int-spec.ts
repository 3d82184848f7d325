import { randomUUID } from 'node:crypto';
import { emptyState } from '@surge/decision-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRulesEngineConfig } from '../config/rules-engine.config';
import { RedisProvider } from './redis.provider';
import { OBSERVED_SETTING_SCHEMA_VERSION } from './observed-setting.codec';
import { STORED_TARGET_SCHEMA_VERSION } from './stored-target.codec';
import { FencedStateWrite } from './fenced-state-write.error';
import { TargetStateRepository } from './target-state.repository';

const prefix = `test:rules-state:${randomUUID().slice(0, 8)}:`;
const config = loadRulesEngineConfig({ ...process.env, SURGE_RULES_REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' });
const state = { ...emptyState(4), lastEvaluatedAt: 5_000 };
let redis: RedisProvider;
let repository: TargetStateRepository;

beforeAll(() => {
  redis = new RedisProvider(config);
  repository = new TargetStateRepository(redis, config);
});

afterAll(async () => {
  const keys = await redis.client.keys(`${prefix}*`);
  if (keys.length) await redis.client.del(...keys);
  await redis.onApplicationShutdown();
});

describe('TargetStateRepository with real Redis', () => {
  it('reads a value stored before values carried a version, and writes it back versioned', async () => {
    const key = `${prefix}target:shop/legacy`;
    await redis.client.set(key, JSON.stringify({ state, outbox: [], watermarks: { 'shop/legacy': 5_000 } }));
    const {
      stored: [stored],
    } = await repository.loadMany(['shop/legacy']);
    expect(stored).toEqual({ state, outbox: [], watermarks: { 'shop/legacy': {} }, fence: 0 });
    await repository.save('shop/legacy', stored!);
    expect(JSON.parse((await redis.client.get(key))!)).toMatchObject({
      schemaVersion: STORED_TARGET_SCHEMA_VERSION,
      state,
    });
  });

  it('treats a value of a newer version as no state at all, next to targets it can read', async () => {
    await redis.client.set(
      `${prefix}target:shop/newer`,
      JSON.stringify({ schemaVersion: STORED_TARGET_SCHEMA_VERSION + 1, shape: 'from a later release' }),
    );
    await repository.save('shop/current', { state, outbox: [] });
    expect((await repository.load('shop/newer')).stored).toBeNull();
    const {
      stored: [newer, current, missing],
    } = await repository.loadMany(['shop/newer', 'shop/current', 'shop/missing']);
    expect(newer).toBeNull();
    expect(current).toEqual({ state, outbox: [], fence: 1 });
    expect(missing).toBeNull();
  });

  it('keeps the newer of two observations, whichever is stored last, and loads it with the state', async () => {
    const observed = (value: number, observedAt: number) => ({
      kind: 'Deployment',
      setting: 'replicas',
      value,
      observedAt,
    });
    expect(await repository.saveObserved('shop/observed', observed(5, 2_000))).toBe(true);
    expect(await repository.saveObserved('shop/observed', observed(3, 1_000))).toBe(false);
    expect(await repository.saveObserved('shop/observed', observed(6, 2_000))).toBe(true);
    await repository.save('shop/observed', { state, outbox: [] });
    expect(await repository.load('shop/observed')).toEqual({
      stored: { state, outbox: [], fence: 1 },
      observed: observed(6, 2_000),
    });
    const raw = JSON.parse((await redis.client.get(`${prefix}observed:shop/observed`))!);
    expect(raw).toMatchObject({ schemaVersion: OBSERVED_SETTING_SCHEMA_VERSION, value: 6 });
  });

  it('refuses, storing nothing, a write of a target written by another instance since it was loaded', async () => {
    await repository.save('shop/fenced', { state, outbox: [] });
    const {
      stored: [mine],
    } = await repository.loadMany(['shop/fenced']);
    const {
      stored: [theirs],
    } = await repository.loadMany(['shop/fenced']);
    await repository.saveMany([['shop/fenced', { ...theirs!, state: { ...state, current: 9 } }]]);
    const write = repository.saveMany([
      ['shop/other', { state, outbox: [] }],
      ['shop/fenced', { ...mine!, state: { ...state, current: 1 } }],
    ]);
    await expect(write).rejects.toBeInstanceOf(FencedStateWrite);
    await expect(write).rejects.toThrow(/shop\/fenced .*fence 1, now 2/);
    expect((await repository.load('shop/fenced')).stored).toMatchObject({ state: { current: 9 }, fence: 2 });
    expect((await repository.load('shop/other')).stored).toBeNull();
  });

  it('ignores an observation it cannot read, and lets the next one replace it', async () => {
    const key = `${prefix}observed:shop/unreadable`;
    await redis.client.set(key, JSON.stringify({ schemaVersion: OBSERVED_SETTING_SCHEMA_VERSION + 1, observedAt: 9 }));
    const { observed } = await repository.loadMany(['shop/unreadable']);
    expect(observed).toEqual([null]);
    const next = { kind: 'Deployment', setting: 'replicas', value: 2, observedAt: 1 };
    expect(await repository.saveObserved('shop/unreadable', next)).toBe(true);
    expect((await repository.load('shop/unreadable')).observed).toEqual(next);
  });

  it("loads a plan's extra reads in the same round trip: others' settings by kind, and the claims on its own", async () => {
    const pool = { id: 'db/pool', kind: 'PgBouncerPool' };
    const size = { target: pool, setting: 'default_pool_size' };
    const at = (value: number, observedAt: number) => ({
      kind: 'PgBouncerPool',
      setting: 'default_pool_size',
      value,
      observedAt,
    });
    expect(await repository.saveObservedSetting('db/pool', at(20, 2_000))).toBe(true);
    expect(await repository.saveObservedSetting('db/pool', at(10, 1_000))).toBe(false);
    const claim = {
      target: pool,
      setting: 'default_pool_size',
      value: 60,
      direction: 'floor' as const,
      runId: 'p-run-0001',
      policyTarget: 'shop/api',
    };
    await repository.saveClaims([{ on: size, owner: 'api/slow', claim: { ...claim, owner: 'api/slow' } }]);
    await repository.saveClaims([{ on: size, owner: 'web/burst', claim: { ...claim, owner: 'web/burst' } }]);
    await repository.saveClaims([{ on: size, owner: 'api/slow' }]);
    // A claim past its expiry (its owner stopped writing) is ignored, and pruned as it is read.
    const lapsed = JSON.stringify({ ...claim, owner: 'gone/slow', expiresAt: Date.now() - 1 });
    await redis.client.hset(`${prefix}claims:default_pool_size:db/pool`, 'gone/slow', lapsed);
    const other = { target: { ...pool, kind: 'Deployment' }, setting: 'default_pool_size' };
    const { stored, extra } = await repository.loadMany(
      ['shop/api', 'db/pool', 'shop/plain'],
      [{ settings: [size, other] }, { settings: [], claimsOf: 'default_pool_size' }, undefined],
    );
    expect(stored).toEqual([null, null, null]);
    expect(extra).toEqual([
      { observed: [{ ...size, value: 20 }], claims: [] },
      { observed: [], claims: [{ ...claim, owner: 'web/burst', expiresAt: expect.any(Number) }] },
      undefined,
    ]);
    expect(await redis.client.hkeys(`${prefix}claims:default_pool_size:db/pool`)).toEqual(['web/burst']);
    const ttl = await redis.client.pttl(`${prefix}claims:default_pool_size:db/pool`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(config.SURGE_RULES_PLAN_CLAIM_TTL_SECONDS * 1000);
  });
});

import { Inject, Injectable, Logger } from '@nestjs/common';
import { emptyState, type PlanClaim } from '@surge/decision-core';
import type { Redis } from 'ioredis';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { decodeObservedSetting, encodeObservedSetting, type ObservedSetting } from './observed-setting.codec';
import { FENCED_WRITE_LUA } from './fenced-write.lua';
import { FencedStateWrite } from './fenced-state-write.error';
import { STORE_OBSERVED_LUA } from './observed-setting.lua';
import { DROP_CLAIMS_LUA } from './claim-drop.lua';
import { decodePlanClaim, encodePlanClaim, type StoredClaim } from './plan-claim.codec';
import { RedisProvider } from './redis.provider';
import { decodeStoredTarget, encodeStoredTarget, type StoredTarget } from './stored-target.codec';

interface ObservedCommands {
  surgeStoreObserved(key: string, encoded: string, setting: string, observedAt: number): Promise<number>;
  surgeFencedWrite(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<[number, number]>;
  surgeDropClaims(numberOfKeys: number, ...keysThenArgs: string[]): Promise<number>;
}

/** A claim field as read, to be dropped only if it still holds what was read (claim-drop.lua.ts). */
export interface ClaimField {
  key: string;
  owner: string;
  raw: string;
}

/** A setting of some target, as a plan step names it. */
export interface SettingRef {
  target: { kind: string; id: string };
  setting: string;
}

/** What a target's plans need loaded beside its own keys: others' observed settings, the claims on its own. */
export interface ExtraReads {
  settings: readonly SettingRef[];
  /** The target's own setting, whose claims hash is read: set only when some plan can claim it. */
  claimsOf?: string;
}

/** What the extra reads found: the latest observed value of each setting asked for (if any), and the claims. */
export interface ExtraLoaded {
  observed: (SettingRef & { value: number })[];
  claims: PlanClaim[];
}

/** A batch of targets as loaded: each one's stored state and its latest observation, by position. */
export interface LoadedTargets {
  stored: (StoredTarget | null)[];
  observed: (ObservedSetting | null)[];
  /** By position, for the targets loaded with extra reads. */
  extra?: (ExtraLoaded | undefined)[];
}

/** One owner's claim on one setting, written as held, or deleted when `claim` is absent. */
export interface ClaimWrite {
  on: SettingRef;
  owner: string;
  claim?: PlanClaim;
}

/**
 * Target state in Redis, one versioned JSON value per target, so a restart or a partition moving to another
 * instance keeps the stabilization history, the scale events (cooldowns) and the rules' breach clocks.
 * A target's observation has a key of its own: the instance folding observations and the one evaluating the
 * target's samples may differ, and neither ever writes the other's key.
 */
@Injectable()
export class TargetStateRepository {
  private readonly logger = new Logger(TargetStateRepository.name);
  private readonly client: Redis & ObservedCommands;

  constructor(
    redis: RedisProvider,
    @Inject(RULES_ENGINE_CONFIG) private readonly config: RulesEngineConfig,
  ) {
    const client = redis.client;
    if (!('surgeStoreObserved' in client))
      client.defineCommand('surgeStoreObserved', { numberOfKeys: 1, lua: STORE_OBSERVED_LUA });
    if (!('surgeFencedWrite' in client)) client.defineCommand('surgeFencedWrite', { lua: FENCED_WRITE_LUA });
    if (!('surgeDropClaims' in client)) client.defineCommand('surgeDropClaims', { lua: DROP_CLAIMS_LUA });
    this.client = client as Redis & ObservedCommands;
  }

  private key(targetId: string): string {
    return `${this.config.SURGE_RULES_REDIS_PREFIX}target:${targetId}`;
  }

  private observedKey(targetId: string): string {
    return `${this.config.SURGE_RULES_REDIS_PREFIX}observed:${targetId}`;
  }

  /** A plan's view of another target's setting: one key per (target, setting), as setting names have no colon. */
  private observedSettingKey(targetId: string, setting: string): string {
    return `${this.config.SURGE_RULES_REDIS_PREFIX}observed-setting:${setting}:${targetId}`;
  }

  private claimsKey(targetId: string, setting: string): string {
    return `${this.config.SURGE_RULES_REDIS_PREFIX}claims:${setting}:${targetId}`;
  }

  private fenceKey(targetId: string): string {
    return `${this.config.SURGE_RULES_REDIS_PREFIX}fence:${targetId}`;
  }

  async load(
    targetId: string,
    extra?: ExtraReads,
  ): Promise<{ stored: StoredTarget | null; observed: ObservedSetting | null; extra?: ExtraLoaded }> {
    const loaded = await this.loadMany([targetId], extra && [extra]);
    return { stored: loaded.stored[0]!, observed: loaded.observed[0]!, extra: loaded.extra?.[0] };
  }

  /** Stores one target, fenced as saveMany is. */
  async save(targetId: string, stored: StoredTarget): Promise<void> {
    await this.saveMany([[targetId, stored]]);
  }

  /**
   * One round trip for a whole batch of targets, their observations included. Each value loaded carries the
   * fence it was loaded at; a target without state but with a fence (its state key alone lost) is returned
   * empty, so its next write is fenced like any other. A target's extra reads (by position) join the same round
   * trip: their observed keys the MGET, their claims hashes a pipeline with it.
   */
  async loadMany(targetIds: string[], extra?: readonly (ExtraReads | undefined)[]): Promise<LoadedTargets> {
    if (!targetIds.length) return { stored: [], observed: [] };
    const keys = targetIds.map((id) => this.key(id));
    for (const id of targetIds) keys.push(this.observedKey(id));
    for (const id of targetIds) keys.push(this.fenceKey(id));
    const count = targetIds.length;
    const hashes: string[] = [];
    extra?.forEach((reads, index) => {
      if (!reads) return;
      for (const { target, setting } of reads.settings) keys.push(this.observedSettingKey(target.id, setting));
      if (reads.claimsOf !== undefined) hashes.push(this.claimsKey(targetIds[index]!, reads.claimsOf));
    });
    const [values, claimHashes] = hashes.length
      ? await this.loadPipelined(keys, hashes)
      : [await this.client.mget(...keys), []];
    const expired: ClaimField[] = [];
    const extraLoaded = extra && this.extraLoaded(targetIds, extra, values.slice(3 * count), claimHashes, expired);
    if (expired.length) await this.dropClaims(expired);
    return {
      extra: extraLoaded,
      stored: targetIds.map((id, index) => {
        const fence = Number(values[2 * count + index] ?? 0);
        const stored = this.decode(id, values[index] ?? null);
        if (stored) stored.fence = fence;
        else if (fence) return { state: emptyState(), outbox: [], fence };
        return stored;
      }),
      observed: targetIds.map((id, index) => this.decodeObserved(id, values[count + index] ?? null)),
    };
  }

  /**
   * Stores every target in one script, only if none was written since it was loaded (its `fence`, 0 for a value
   * not loaded from Redis), and advances each one's fence. Throws FencedStateWrite, storing nothing, otherwise.
   */
  async saveMany(entries: [targetId: string, stored: StoredTarget][]): Promise<void> {
    if (!entries.length) return;
    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const [id, stored] of entries) {
      keys.push(this.key(id), this.fenceKey(id));
      args.push(stored.fence ?? 0, encodeStoredTarget(stored));
    }
    const [fenced, found] = await this.client.surgeFencedWrite(keys.length, ...keys, ...args);
    if (fenced) {
      const [id, stored] = entries[fenced - 1]!;
      throw new FencedStateWrite(id, stored.fence ?? 0, found);
    }
  }

  private async loadPipelined(
    keys: string[],
    hashes: string[],
  ): Promise<[(string | null)[], Record<string, string>[]]> {
    const pipeline = this.client.pipeline().mget(...keys);
    for (const hash of hashes) pipeline.hgetall(hash);
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0];
    return [replies[0]![1] as (string | null)[], replies.slice(1).map(([, reply]) => reply as Record<string, string>)];
  }

  /** The extra reads' values, in the order loadMany asked for them. */
  private extraLoaded(
    targetIds: string[],
    extra: readonly (ExtraReads | undefined)[],
    values: (string | null)[],
    claimHashes: Record<string, string>[],
    expired: ClaimField[],
  ): (ExtraLoaded | undefined)[] {
    const now = Date.now();
    let next = 0;
    let nextHash = 0;
    return targetIds.map((id, index) => {
      const reads = extra[index];
      if (!reads) return undefined;
      const observed: ExtraLoaded['observed'] = [];
      for (const ref of reads.settings) {
        const found = this.decodeObserved(`${ref.target.id} ${ref.setting}`, values[next++] ?? null);
        // Another kind's target may share the id: its observation is not this one's.
        if (found && found.kind === ref.target.kind && found.setting === ref.setting)
          observed.push({ ...ref, value: found.value });
      }
      const claims: PlanClaim[] = [];
      if (reads.claimsOf !== undefined) {
        const key = this.claimsKey(id, reads.claimsOf);
        for (const [owner, raw] of Object.entries(claimHashes[nextHash++] ?? {})) {
          const claim = decodePlanClaim(raw, now);
          if (claim === 'expired') expired.push({ key, owner, raw });
          else if (claim) claims.push(claim);
          else this.logger.warn(`a claim on ${id} ${reads.claimsOf} cannot be read; ignored`);
        }
      }
      return { observed, claims };
    });
  }

  /** Stores an observation of a setting some plan acts on, unless a newer one is stored; true when stored. */
  async saveObservedSetting(targetId: string, observed: ObservedSetting): Promise<boolean> {
    const key = this.observedSettingKey(targetId, observed.setting);
    const encoded = encodeObservedSetting(observed);
    return (await this.client.surgeStoreObserved(key, encoded, observed.setting, observed.observedAt)) === 1;
  }

  /**
   * Every write in one round trip: a held claim sets its owner's field, with an expiry this write pushes on, a
   * released one deletes it. The hash itself expires with its latest field, so one whose owners are gone goes too.
   */
  async saveClaims(writes: readonly ClaimWrite[]): Promise<void> {
    if (!writes.length) return;
    const ttl = this.config.SURGE_RULES_PLAN_CLAIM_TTL_SECONDS * 1000;
    const expiresAt = Date.now() + ttl;
    const pipeline = this.client.pipeline();
    for (const { on, owner, claim } of writes) {
      const key = this.claimsKey(on.target.id, on.setting);
      if (claim) pipeline.hset(key, owner, encodePlanClaim(claim, expiresAt)).pexpire(key, ttl);
      else pipeline.hdel(key, owner);
    }
    const failed = ((await pipeline.exec()) ?? []).find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** Every claim field there is, decoded at the wall clock: for the reconciliation on a reload (claim-reconciler). */
  async allClaims(): Promise<(ClaimField & { claim: StoredClaim | 'expired' | undefined })[]> {
    const keys: string[] = [];
    const match = `${this.config.SURGE_RULES_REDIS_PREFIX}claims:*`;
    let cursor = '0';
    do {
      const [next, found] = await this.client.scan(cursor, 'MATCH', match, 'COUNT', 200);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    if (!keys.length) return [];
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    const now = Date.now();
    return keys.flatMap((key, index) => {
      const [error, hash] = replies[index]!;
      if (error) throw error;
      return Object.entries(hash as Record<string, string>).map(([owner, raw]) => ({
        key,
        owner,
        raw,
        claim: decodePlanClaim(raw, now),
      }));
    });
  }

  /** Drops each field that still holds the value read: a field rewritten since by its owner is kept. */
  async dropClaims(fields: readonly ClaimField[]): Promise<number> {
    if (!fields.length) return 0;
    const args = fields.flatMap((field) => [field.owner, field.raw]);
    return this.client.surgeDropClaims(fields.length, ...fields.map((field) => field.key), ...args);
  }

  /** Stores an observation unless a newer one of the same setting is stored; true when stored. */
  async saveObserved(targetId: string, observed: ObservedSetting): Promise<boolean> {
    const encoded = encodeObservedSetting(observed);
    const stored = await this.client.surgeStoreObserved(
      this.observedKey(targetId),
      encoded,
      observed.setting,
      observed.observedAt,
    );
    return stored === 1;
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  /** A value this engine cannot read starts the target afresh, as a new target would, rather than misread. */
  private decode(targetId: string, raw: string | null): StoredTarget | null {
    if (raw === null) return null;
    const decoded = decodeStoredTarget(raw);
    if (decoded.rebuilt !== undefined) this.logger.warn(`state of ${targetId} rebuilt from empty: ${decoded.rebuilt}`);
    return decoded.stored ?? null;
  }

  /** An observation this engine cannot read is not used: the target's next observation replaces it. */
  private decodeObserved(targetId: string, raw: string | null): ObservedSetting | null {
    if (raw === null) return null;
    const decoded = decodeObservedSetting(raw);
    if (decoded.rebuilt !== undefined) this.logger.warn(`observation of ${targetId} ignored: ${decoded.rebuilt}`);
    return decoded.observed ?? null;
  }
}

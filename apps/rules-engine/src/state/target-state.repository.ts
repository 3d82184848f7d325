import { Inject, Injectable, Logger } from '@nestjs/common';
import { emptyState } from '@surge/decision-core';
import type { Redis } from 'ioredis';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { decodeObservedSetting, encodeObservedSetting, type ObservedSetting } from './observed-setting.codec';
import { FENCED_WRITE_LUA } from './fenced-write.lua';
import { FencedStateWrite } from './fenced-state-write.error';
import { STORE_OBSERVED_LUA } from './observed-setting.lua';
import { RedisProvider } from './redis.provider';
import { decodeStoredTarget, encodeStoredTarget, type StoredTarget } from './stored-target.codec';

interface ObservedCommands {
  surgeStoreObserved(key: string, encoded: string, setting: string, observedAt: number): Promise<number>;
  surgeFencedWrite(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<[number, number]>;
}

/** A batch of targets as loaded: each one's stored state and its latest observation, by position. */
export interface LoadedTargets {
  stored: (StoredTarget | null)[];
  observed: (ObservedSetting | null)[];
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
    this.client = client as Redis & ObservedCommands;
  }

  private key(targetId: string): string {
    return `${this.config.SURGE_RULES_REDIS_PREFIX}target:${targetId}`;
  }

  private observedKey(targetId: string): string {
    return `${this.config.SURGE_RULES_REDIS_PREFIX}observed:${targetId}`;
  }

  private fenceKey(targetId: string): string {
    return `${this.config.SURGE_RULES_REDIS_PREFIX}fence:${targetId}`;
  }

  async load(targetId: string): Promise<{ stored: StoredTarget | null; observed: ObservedSetting | null }> {
    const loaded = await this.loadMany([targetId]);
    return { stored: loaded.stored[0]!, observed: loaded.observed[0]! };
  }

  /** Stores one target, fenced as saveMany is. */
  async save(targetId: string, stored: StoredTarget): Promise<void> {
    await this.saveMany([[targetId, stored]]);
  }

  /**
   * One round trip for a whole batch of targets, their observations included. Each value loaded carries the
   * fence it was loaded at; a target without state but with a fence (its state key alone lost) is returned
   * empty, so its next write is fenced like any other.
   */
  async loadMany(targetIds: string[]): Promise<LoadedTargets> {
    if (!targetIds.length) return { stored: [], observed: [] };
    const keys = targetIds.map((id) => this.key(id));
    for (const id of targetIds) keys.push(this.observedKey(id));
    for (const id of targetIds) keys.push(this.fenceKey(id));
    const values = await this.client.mget(...keys);
    const count = targetIds.length;
    return {
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

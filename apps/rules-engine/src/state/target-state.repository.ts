import { Inject, Injectable } from '@nestjs/common';
import type { ScaleDecision } from '@surge/contracts';
import type { TargetState } from '@surge/decision-core';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { RedisProvider } from './redis.provider';

/** What the engine keeps per target: the core's state plus decisions saved but not yet confirmed published. */
export interface StoredTarget {
  state: TargetState;
  outbox: ScaleDecision[];
  /** Latest sample time handled per source target: a redelivered message is recognised and skipped. */
  watermarks?: Record<string, number>;
}

/**
 * Target state in Redis, one JSON value per target, so a restart or a partition moving to another instance
 * keeps the stabilization history, the scale events (cooldowns) and the rules' breach clocks.
 */
@Injectable()
export class TargetStateRepository {
  constructor(
    private readonly redis: RedisProvider,
    @Inject(RULES_ENGINE_CONFIG) private readonly config: RulesEngineConfig,
  ) {}

  private key(targetId: string): string {
    return `${this.config.SURGE_RULES_REDIS_PREFIX}target:${targetId}`;
  }

  async load(targetId: string): Promise<StoredTarget | null> {
    const raw = await this.redis.client.get(this.key(targetId));
    return raw ? (JSON.parse(raw) as StoredTarget) : null;
  }

  async save(targetId: string, stored: StoredTarget): Promise<void> {
    await this.redis.client.set(this.key(targetId), JSON.stringify(stored));
  }

  /** One round trip for a whole batch of targets. */
  async loadMany(targetIds: string[]): Promise<(StoredTarget | null)[]> {
    if (!targetIds.length) return [];
    const values = await this.redis.client.mget(...targetIds.map((id) => this.key(id)));
    return values.map((raw) => (raw ? (JSON.parse(raw) as StoredTarget) : null));
  }

  async saveMany(entries: [targetId: string, stored: StoredTarget][]): Promise<void> {
    if (!entries.length) return;
    await this.redis.client.mset(...entries.flatMap(([id, stored]) => [this.key(id), JSON.stringify(stored)]));
  }

  async ping(): Promise<void> {
    await this.redis.client.ping();
  }
}

import type { ActionResult } from '@surge/contracts';
import type { DecisionRecord } from '@surge/executor-core';
import type { Redis } from 'ioredis';

// Raises the watermark only upwards, atomically, so two lanes racing on one key can never move it back.
const RAISE_WATERMARK = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1`;

/**
 * What the executors remember across restarts, in Redis: each decision id's progress (idempotence) and, per
 * target and setting, the newest eventTime acted on (supersession). Every key carries a TTL so nothing grows forever.
 */
export class DecisionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  private decisionKey(decisionId: string): string {
    return `${this.prefix}:decision:${decisionId}`;
  }

  /** Claims a decision id with SET NX; when someone already has, returns what they recorded. */
  async claim(decisionId: string, now: number): Promise<DecisionRecord | null> {
    const claimed: DecisionRecord = { phase: 'claimed', claimedAt: now };
    const ok = await this.redis.set(this.decisionKey(decisionId), JSON.stringify(claimed), 'PX', this.ttlMs, 'NX');
    if (ok === 'OK') return null;
    const existing = await this.redis.get(this.decisionKey(decisionId));
    return existing ? (JSON.parse(existing) as DecisionRecord) : null;
  }

  async recordResult(result: ActionResult, phase: 'done' | 'published'): Promise<void> {
    const record: DecisionRecord = { phase, resultJson: JSON.stringify(result) };
    await this.redis.set(this.decisionKey(result.decisionId), JSON.stringify(record), 'PX', this.ttlMs);
  }

  async latestEventTime(key: string): Promise<number | null> {
    const value = await this.redis.get(`${this.prefix}:watermark:${key}`);
    return value === null ? null : Number(value);
  }

  async raiseEventTime(key: string, eventTime: number): Promise<void> {
    await this.redis.eval(RAISE_WATERMARK, 1, `${this.prefix}:watermark:${key}`, String(eventTime), String(this.ttlMs));
  }
}

import type { ActionResult } from '@surge/contracts';
import type { DecisionRecord } from '@surge/executor-core';
import type { Redis } from 'ioredis';

// Claims the decision id (SET NX) and reads the target's watermark in one round trip: both are needed before acting.
const BEGIN = `
local claimed = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
local existing = false
if not claimed then existing = redis.call('GET', KEYS[1]) end
return { existing, redis.call('GET', KEYS[2]) }`;

// Records the result and raises the watermark (only ever upwards) together, so neither can exist without the other.
const COMPLETE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[3] ~= '' then
  local current = tonumber(redis.call('GET', KEYS[2]) or '-1')
  if tonumber(ARGV[3]) > current then redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2]) end
end
return 1`;

export interface BeginOutcome {
  /** What an earlier delivery recorded, or null when this delivery claimed the id. */
  previous: DecisionRecord | null;
  /** The newest eventTime acted on for this target and setting, or null. */
  latestEventTime: number | null;
}

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

  private watermarkKey(supersessionKey: string): string {
    return `${this.prefix}:watermark:${supersessionKey}`;
  }

  async begin(decisionId: string, supersessionKey: string, now: number): Promise<BeginOutcome> {
    const claimed: DecisionRecord = { phase: 'claimed', claimedAt: now };
    const [existing, watermark] = (await this.redis.eval(
      BEGIN,
      2,
      this.decisionKey(decisionId),
      this.watermarkKey(supersessionKey),
      JSON.stringify(claimed),
      String(this.ttlMs),
    )) as [string | null, string | null];
    return {
      previous: existing ? (JSON.parse(existing) as DecisionRecord) : null,
      latestEventTime: watermark === null ? null : Number(watermark),
    };
  }

  /** The result, before it is published; `appliedEventTime` raises the watermark when the target was changed. */
  async complete(result: ActionResult, supersessionKey: string, appliedEventTime: number | null): Promise<void> {
    const record: DecisionRecord = { phase: 'done', resultJson: JSON.stringify(result) };
    await this.redis.eval(
      COMPLETE,
      2,
      this.decisionKey(result.decisionId),
      this.watermarkKey(supersessionKey),
      JSON.stringify(record),
      String(this.ttlMs),
      appliedEventTime === null ? '' : String(appliedEventTime),
    );
  }

  async markPublished(result: ActionResult): Promise<void> {
    const record: DecisionRecord = { phase: 'published', resultJson: JSON.stringify(result) };
    await this.redis.set(this.decisionKey(result.decisionId), JSON.stringify(record), 'PX', this.ttlMs);
  }

  /** Test and recovery hook: what is recorded for a decision id. */
  async get(decisionId: string): Promise<DecisionRecord | null> {
    const value = await this.redis.get(this.decisionKey(decisionId));
    return value ? (JSON.parse(value) as DecisionRecord) : null;
  }
}

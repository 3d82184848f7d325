import type { ActionResult } from '@surge/contracts';
import { type DecisionRecord, supersessionKey } from '@surge/executor-core';
import type { Redis } from 'ioredis';
import { decodeDecisionRecord, encodeDecisionRecord } from './decision-record.codec';

// Claims the decision id (SET NX) and reads the target's watermark and last change in one round trip: all are
// needed before acting. Without the intact marker the records may be gone: nothing is claimed, the caller
// rebuilds them from the actions topic first.
const BEGIN = `
if redis.call('EXISTS', KEYS[4]) == 0 then return { 'lost' } end
local claimed = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
local existing = false
if not claimed then existing = redis.call('GET', KEYS[1]) end
return { 'intact', existing, redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3]) }`;

// Records the result, raises the watermark (only ever upwards) and the last change time together, so none can
// exist without the others.
const COMPLETE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[3] ~= '' then
  local current = tonumber(redis.call('GET', KEYS[2]) or '-1')
  if tonumber(ARGV[3]) > current then redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2]) end
end
if ARGV[4] ~= '' then redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[2]) end
return 1`;

// A change time read back from the actions topic never lowers one recorded since.
const RESTORE_CHANGE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1`;

export type BeginOutcome =
  | { recordsLost: true }
  | {
      recordsLost: false;
      /** What an earlier delivery recorded, or null when this delivery claimed the id. */
      previous: DecisionRecord | null;
      /** Why the earlier delivery's record could not be read (a newer release's shape, a damaged value). */
      unreadable?: string;
      /** The newest eventTime acted on for this target and setting, or null. */
      latestEventTime: number | null;
      /** When this executor last changed this target's setting (epoch ms), or null. */
      lastChangedAt: number | null;
    };

/**
 * What the executors remember across restarts, in Redis: each decision id's progress (idempotence), and per
 * target and setting the newest eventTime acted on (supersession) and the time of the last change (the
 * `minIntervalSeconds` guardrail). Every key carries a TTL so nothing grows forever.
 *
 * Redis may lose all of it (a restart without persistence, a flush, a failover to an empty replica). The intact
 * marker, a key without TTL written only once the records are complete, tells a loss from a decision never seen:
 * `begin` without it reports `recordsLost`, and `restore` writes back what the actions topic proves was done, then
 * the marker. The marker cannot tell a partial loss (keys evicted under `maxmemory`): the executors' Redis must run
 * with `maxmemory-policy noeviction`.
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

  private watermarkKey(key: string): string {
    return `${this.prefix}:watermark:${key}`;
  }

  private changedKey(key: string): string {
    return `${this.prefix}:changed:${key}`;
  }

  private intactKey(): string {
    return `${this.prefix}:records-intact`;
  }

  async begin(decisionId: string, key: string, now: number): Promise<BeginOutcome> {
    const claimed: DecisionRecord = { phase: 'claimed', claimedAt: now };
    const reply = (await this.redis.eval(
      BEGIN,
      4,
      this.decisionKey(decisionId),
      this.watermarkKey(key),
      this.changedKey(key),
      this.intactKey(),
      encodeDecisionRecord(claimed),
      String(this.ttlMs),
    )) as ['lost'] | ['intact', string | null, string | null, string | null];
    if (reply[0] === 'lost') return { recordsLost: true };
    const [, existing, watermark, changedAt] = reply;
    const decoded = existing ? decodeDecisionRecord(existing) : null;
    return {
      recordsLost: false,
      previous: decoded?.record ?? null,
      ...(decoded?.unreadable ? { unreadable: decoded.unreadable } : {}),
      latestEventTime: watermark === null ? null : Number(watermark),
      lastChangedAt: changedAt === null ? null : Number(changedAt),
    };
  }

  /**
   * The result, before it is published; `appliedEventTime` raises the watermark when the decision was applied,
   * `changedAt` records when the target was really changed.
   */
  async complete(
    result: ActionResult,
    key: string,
    appliedEventTime: number | null,
    changedAt: number | null = null,
  ): Promise<void> {
    const record: DecisionRecord = { phase: 'done', resultJson: JSON.stringify(result) };
    await this.redis.eval(
      COMPLETE,
      3,
      this.decisionKey(result.decisionId),
      this.watermarkKey(key),
      this.changedKey(key),
      encodeDecisionRecord(record),
      String(this.ttlMs),
      appliedEventTime === null ? '' : String(appliedEventTime),
      changedAt === null ? '' : String(changedAt),
    );
  }

  async markPublished(result: ActionResult): Promise<void> {
    const record: DecisionRecord = { phase: 'published', resultJson: JSON.stringify(result) };
    await this.redis.set(this.decisionKey(result.decisionId), encodeDecisionRecord(record), 'PX', this.ttlMs);
  }

  /**
   * Writes back the records that published results prove, oldest first, then the intact marker. A decision's
   * first final result is the one kept (a `duplicate` report is never final); a result that changed the target
   * restores the setting's last change time.
   */
  async restore(results: readonly ActionResult[]): Promise<void> {
    const batch = this.redis.multi();
    const kept = new Set<string>();
    for (const result of results) {
      // A duplicate or a signature refusal says nothing of what was done under that id (a forger may copy an id).
      if (result.status === 'duplicate' || isSignatureRefusal(result) || kept.has(result.decisionId)) continue;
      kept.add(result.decisionId);
      const record: DecisionRecord = { phase: 'published', resultJson: JSON.stringify(result) };
      batch.set(this.decisionKey(result.decisionId), encodeDecisionRecord(record), 'PX', this.ttlMs);
      if (changedTarget(result)) {
        batch.eval(
          RESTORE_CHANGE,
          1,
          this.changedKey(supersessionKey(result)),
          String(result.time),
          String(this.ttlMs),
        );
      }
    }
    batch.set(this.intactKey(), String(Date.now()));
    const replies = (await batch.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** Test and recovery hook: what is recorded for a decision id. */
  async get(decisionId: string): Promise<DecisionRecord | null> {
    const value = await this.redis.get(this.decisionKey(decisionId));
    return value ? (decodeDecisionRecord(value).record ?? null) : null;
  }
}

/** `not-ready` is a change made too: only the pods it started were not ready in time. */
function changedTarget(result: ActionResult): boolean {
  const made = result.status === 'applied' || result.status === 'not-ready';
  return made && result.before !== null && result.after !== null && result.before !== result.after;
}

function isSignatureRefusal(result: ActionResult): boolean {
  return 'reason' in result && result.reason === 'signature';
}

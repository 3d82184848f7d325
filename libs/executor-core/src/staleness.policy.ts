import type { ScaleDecision } from '@surge/contracts';

export type StalenessVerdict = { stale: false } | { stale: true; reason: string };

/**
 * A decision is stale when it waited longer than `maxAgeMs` since it was published (`publishedAt`, the decisions
 * record's timestamp; eventTime when unknown), or when a newer decision for the same target and setting (by the
 * core's eventTime) has already been acted on. Age is not taken from eventTime: that is the samples' clock, which a
 * replayed trace sets in the past. Equal eventTimes are not superseded: they come from one evaluation.
 */
export function judgeStaleness(
  decision: Pick<ScaleDecision, 'eventTime' | 'decisionId'>,
  nowMs: number,
  maxAgeMs: number,
  latestEventTime: number | null,
  publishedAt: number | null = null,
): StalenessVerdict {
  const ageMs = nowMs - (publishedAt ?? decision.eventTime);
  if (ageMs > maxAgeMs) return { stale: true, reason: `decision is ${ageMs} ms old, over the ${maxAgeMs} ms limit` };
  if (latestEventTime !== null && decision.eventTime < latestEventTime) {
    return { stale: true, reason: `superseded by a decision with eventTime ${latestEventTime}` };
  }
  return { stale: false };
}

/** The key that orders decisions: one target's one setting. */
export function supersessionKey(decision: Pick<ScaleDecision, 'target' | 'setting'>): string {
  return `${decision.target.kind}:${decision.target.id}:${decision.setting}`;
}

/**
 * Of the decisions waiting for one target, those a later one makes pointless: every one but the newest per
 * supersession key. Returned ids are reported stale without touching the target.
 */
export function supersededIds(
  pending: Pick<ScaleDecision, 'target' | 'setting' | 'eventTime' | 'decisionId'>[],
): Set<string> {
  const newest = new Map<string, { eventTime: number; index: number }>();
  pending.forEach((d, index) => {
    const key = supersessionKey(d);
    const seen = newest.get(key);
    if (!seen || d.eventTime >= seen.eventTime) newest.set(key, { eventTime: d.eventTime, index });
  });
  const keep = new Set([...newest.values()].map((v) => v.index));
  // A redelivered copy of the kept decision shares its id: it is a duplicate, for idempotence to report, not stale.
  const keptIds = new Set(pending.filter((_, index) => keep.has(index)).map((d) => d.decisionId));
  return new Set(pending.filter((d, index) => !keep.has(index) && !keptIds.has(d.decisionId)).map((d) => d.decisionId));
}

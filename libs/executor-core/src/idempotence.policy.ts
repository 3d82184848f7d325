/**
 * What the idempotence store remembers of a decision id. `claimed` is written before touching the target,
 * `done` with the final result once known, `published` once that result is on the actions topic.
 */
export type DecisionRecord =
  { phase: 'claimed'; claimedAt: number } | { phase: 'done' | 'published'; resultJson: string };

export type IdempotenceAction = 'apply' | 'republish' | 'duplicate';

/**
 * Decides what to do with a decision id we may have seen. A crash between applying and publishing leaves `done`:
 * publishing the stored result then keeps "exactly one applied result". A crash mid-apply leaves `claimed`:
 * applying again is safe because values are absolute.
 */
export function idempotenceAction(record: DecisionRecord | null): IdempotenceAction {
  if (!record || record.phase === 'claimed') return 'apply';
  if (record.phase === 'done') return 'republish';
  return 'duplicate';
}

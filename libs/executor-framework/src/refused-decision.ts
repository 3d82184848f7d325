import { type ActionResult, type ScaleDecision, scaleDecision } from '@surge/contracts';
import type { RefusalReason } from '@surge/signing';
import { actionResultFor } from './action-result.factory';

/**
 * The decision a message refused for its signature claims to be, read only to report on it: its target and id say
 * where the `rejected` result goes, nothing in it is acted on. Null when the value is not even a decision (the
 * consumer then dead-letters it).
 */
export function claimedDecision(value: Buffer | null): ScaleDecision | null {
  if (!value) return null;
  try {
    const parsed = scaleDecision.safeParse(JSON.parse(value.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The one final result of a decision refused for its signature: `rejected`, reason `signature`. It is never
 * recorded under the decision's id, so a forged copy of a genuine id cannot make the genuine decision a duplicate.
 */
export function signatureRejection(
  decision: ScaleDecision,
  reason: RefusalReason,
  executor: string,
  now: number = Date.now(),
): ActionResult {
  return actionResultFor(
    decision,
    executor,
    { status: 'rejected', reason: 'signature', error: `decision refused: ${reason} signature`, startedAt: now },
    now,
  );
}

import { createHash } from 'node:crypto';

/**
 * Deterministic: the same target, policy version and triggering event time always give the same id, so a
 * replay after a crash re-emits the same decision rather than a new one, and executors can deduplicate.
 */
export function decisionIdOf(targetId: string, policyVersion: string, eventTime: number): string {
  return createHash('sha256').update(`${targetId}\u0000${policyVersion}\u0000${eventTime}`).digest('hex').slice(0, 32);
}

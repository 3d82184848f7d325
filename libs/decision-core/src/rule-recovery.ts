import type { ThresholdRule } from '@surge/policy';
import { nextRecoveryValue } from './recovery-path';
import type { RuleRecovery, RuleState } from './state';

/**
 * The baseline of a breach that fires: the value before the rule first acted. A breach that comes back while the
 * rule is still on its way down keeps the first baseline: the value to return to is the one from before it all.
 */
export function recoveryOnFiring(rule: ThresholdRule, previous: RuleState | undefined, current: number) {
  if (!rule.recovery || !rule.action) return undefined;
  return { baseline: previous?.recovery?.baseline ?? current };
}

/**
 * A cleared rule with `recovery`: it keeps its standing recommendation through the quiet period, then walks it
 * back to the baseline, one move per `every`, and lets go once there. The recommendation competes with the
 * metrics as any rule's does, so a load that is really there holds the value up, and the policy's scale-down
 * behavior (stabilization, rate policies) still applies to each move.
 */
export function recoverCleared(
  rule: ThresholdRule,
  previous: RuleState | undefined,
  now: number,
  current: number,
  step: number,
): { recovery?: RuleRecovery; target: number | null; detail?: string } {
  const held = previous?.recovery;
  const standing = previous?.target ?? held?.value ?? null;
  if (!rule.recovery || !held || standing === null) return { target: null };
  const clearedSince = held.clearedSince ?? now;
  const quietMs = now - clearedSince;
  if (quietMs < rule.recovery.afterSeconds * 1000)
    return {
      recovery: { ...held, clearedSince },
      target: standing,
      detail: `clear ${quietMs / 1000}s of ${rule.recovery.afterSeconds}s: still asks for ${standing}`,
    };
  const goal = rule.recovery.to ?? held.baseline;
  // The last move is asked for until it is made (a scale-down window may hold it back a while); then the rule
  // lets go, and the metrics alone decide again.
  if (held.value === goal && current === goal) return { target: null, detail: `recovered to ${goal}: lets go` };
  const due = held.value === undefined || now >= (held.nextAt ?? now);
  if (!due || held.value === goal)
    return { recovery: held, target: held.value!, detail: `recovering toward ${goal}: asks for ${held.value}` };
  const value = nextRecoveryValue(held.value ?? Math.min(standing, current), goal, rule.recovery, step);
  return {
    recovery: { ...held, clearedSince, value, nextAt: now + rule.recovery.everySeconds * 1000 },
    target: value,
    detail: `recovering toward ${goal}: asks for ${value}`,
  };
}

/** When a recovering rule's next move (or the end of its quiet period) is due, for a wake-up timer. */
export function nextRecoveryDue(rule: ThresholdRule, state: RuleState | undefined): number | null {
  const held = state?.recovery;
  if (!rule.recovery || !held || held.clearedSince === undefined) return null;
  return held.value === undefined ? held.clearedSince + rule.recovery.afterSeconds * 1000 : (held.nextAt ?? null);
}

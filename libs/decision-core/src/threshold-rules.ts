import { type Condition, evaluateExpression, type RuleAction, type ThresholdRule } from '@surge/policy';
import { nextRecoveryDue, recoverCleared, recoveryOnFiring } from './rule-recovery';
import type { RuleState } from './state';
import { roundDownToStep, roundUpToStep } from './bounds';

export interface RuleOutcome {
  name: string;
  holds: boolean;
  heldSeconds: number;
  fired: boolean;
  /** The rule's standing recommendation while its breach lasts, or null. */
  target: number | null;
  detail: string;
}

/** Three-valued: a condition over a metric with no fresh sample is neither true nor false. */
export function evaluateCondition(
  condition: Condition,
  valueOf: (metric: string) => number | undefined,
): boolean | undefined {
  switch (condition.kind) {
    case 'threshold': {
      const value = valueOf(condition.metric);
      if (value === undefined) return undefined;
      switch (condition.op) {
        case '>':
          return value > condition.value;
        case '>=':
          return value >= condition.value;
        case '<':
          return value < condition.value;
        case '<=':
          return value <= condition.value;
        case '==':
          return value === condition.value;
        default:
          return value !== condition.value;
      }
    }
    case 'all': {
      const results = condition.conditions.map((c) => evaluateCondition(c, valueOf));
      if (results.includes(false)) return false;
      return results.includes(undefined) ? undefined : true;
    }
    case 'any': {
      const results = condition.conditions.map((c) => evaluateCondition(c, valueOf));
      if (results.includes(true)) return true;
      return results.includes(undefined) ? undefined : false;
    }
    case 'expr': {
      const result = evaluateExpression(condition.expression.ast, valueOf);
      return result === undefined ? undefined : Boolean(result);
    }
  }
}

/** The value a rule's action asks for, from the current value, in the setting's steps. */
export function actionTarget(action: RuleAction, current: number, step: number): number {
  if (action.kind === 'scaleTo') return action.value;
  const raw = action.mode === 'percent' ? current * (1 + action.amount / 100) : current + action.amount;
  return action.amount >= 0 ? roundUpToStep(raw, step) : roundDownToStep(raw, step);
}

/**
 * A runbook threshold: the condition must hold for `for` before the rule fires. It fires once per breach;
 * while the breach lasts it fires again only after another full `for`, so `+50%` never compounds on every
 * sample. A rule with `for: 0` fires once per breach. When the condition stops holding the breach is over and
 * the rule's standing recommendation is withdrawn.
 */
export function evaluateRule(
  rule: ThresholdRule,
  previous: RuleState | undefined,
  valueOf: (metric: string) => number | undefined,
  now: number,
  current: number,
  step: number,
): { state: RuleState; outcome: RuleOutcome } {
  const holds = !rule.paused && evaluateCondition(rule.when, valueOf) === true;
  if (!holds) {
    // A paused rule lets go at once; a rule with a recovery walks its change back first (rule-recovery.ts).
    const back = rule.paused ? { target: null } : recoverCleared(rule, previous, now, current, step);
    const state: RuleState = {
      holdingSince: null,
      lastFiredAt: null,
      target: back.target,
      ...(back.recovery ? { recovery: back.recovery } : {}),
    };
    const detail = rule.paused ? 'paused' : (back.detail ?? 'condition does not hold');
    const target = back.target;
    return { state, outcome: { name: rule.name, holds: false, heldSeconds: 0, fired: false, target, detail } };
  }
  const holdingSince = previous?.holdingSince ?? now;
  const heldMs = now - holdingSince;
  const forMs = rule.forSeconds * 1000;
  const lastFiredAt = previous?.lastFiredAt ?? null;
  const due = lastFiredAt === null ? heldMs >= forMs : forMs > 0 && now - lastFiredAt >= forMs;
  // A rule that only notifies recommends nothing: it never competes with the metrics.
  const target = due ? (rule.action ? actionTarget(rule.action, current, step) : null) : (previous?.target ?? null);
  // The baseline is taken at the breach's first firing; a breach that came back mid-recovery keeps the first one.
  const recovery =
    due && lastFiredAt === null
      ? recoveryOnFiring(rule, previous, current)
      : previous?.recovery && { baseline: previous.recovery.baseline };
  const state: RuleState = {
    holdingSince,
    lastFiredAt: due ? now : lastFiredAt,
    target,
    ...(recovery ? { recovery } : {}),
  };
  const detail = due
    ? `held ${heldMs / 1000}s (for ${rule.forSeconds}s): fired, ${target === null ? 'notifies' : `asks for ${target}`}`
    : lastFiredAt === null
      ? `held ${heldMs / 1000}s of ${rule.forSeconds}s`
      : `breach continues, fired ${(now - lastFiredAt) / 1000}s ago${target === null ? '' : `, still asks for ${target}`}`;
  return { state, outcome: { name: rule.name, holds: true, heldSeconds: heldMs / 1000, fired: due, target, detail } };
}

/** When a holding rule next becomes due, so a timer can evaluate without waiting for a sample. */
export function nextRuleDue(rule: ThresholdRule, state: RuleState | undefined): number | null {
  if (state && state.holdingSince === null) return nextRecoveryDue(rule, state);
  if (!state || state.holdingSince === null) return null;
  if (state.lastFiredAt === null) return state.holdingSince + rule.forSeconds * 1000;
  return rule.forSeconds > 0 ? state.lastFiredAt + rule.forSeconds * 1000 : null;
}

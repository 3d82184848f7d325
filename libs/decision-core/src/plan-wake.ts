import type { ScalingPolicy } from '@surge/policy';
import type { TargetState } from './state';

/**
 * When a plan next has something to decide without a result or a sample: a step's `after` running out, its
 * verification falling due, the recovery's `after` since the clearing, or its next move. A run awaiting a result needs no timer: the result
 * wakes it.
 */
export function nextPlanDue(policy: ScalingPolicy, state: TargetState, now: number): number | null {
  let next: number | null = null;
  const consider = (time: number | undefined) => {
    if (time !== undefined && time > now && (next === null || time < next)) next = time;
  };
  for (const rule of policy.rules) {
    const run = state.plans?.[rule.name];
    if (!rule.plan || !run) continue;
    const awaited = run.steps.find((step) => step.decisionId !== undefined && step.decidedAt !== undefined);
    if (awaited) consider(awaited.decidedAt! + rule.plan.resultTimeoutSeconds * 1000);
    if (run.phase === 'applying') {
      const step = run.steps[run.step];
      if (step?.status === 'pending') consider(step.notBefore);
      // Past its deadline a step waiting for approval takes the plan's onTimeout, without an operator's answer.
      if (step?.status === 'awaiting-approval') consider(step.approval?.deadline);
    }
    if (run.phase === 'applied' && run.verification?.status === 'pending') consider(run.verification.dueAt);
    // A run whose breach cleared before its next step goes back (plan-runs.ts) at the same time as a finished one.
    const clearable = run.phase === 'applied' || run.phase === 'stopped' || run.phase === 'applying';
    if (clearable && run.clearedSince !== undefined && rule.recovery)
      consider(run.clearedSince + rule.recovery.afterSeconds * 1000);
    if (run.phase === 'reverting' && run.clearedSince !== undefined) {
      const awaiting = run.steps.some((step) => step.decisionId !== undefined);
      if (!awaiting) consider(run.revert?.nextAt);
    }
  }
  return next;
}

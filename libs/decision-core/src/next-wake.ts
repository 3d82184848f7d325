import type { ScalingPolicy } from '@surge/policy';
import { nextScheduleChange } from './schedules';
import type { TargetState } from './state';
import { nextPlanDue } from './plan-wake';
import { nextMetricHoldDue } from './sustained-metric';
import { nextRuleDue } from './threshold-rules';

/**
 * The next event time at which the target must be evaluated even if no sample arrives: a rule's or a metric's `for`
 * that expires, a schedule that starts or ends, a plan step's wait or a recovery's next move. The engine sets a timer for it.
 */
export function nextWakeAt(policy: ScalingPolicy, state: TargetState, now: number): number | null {
  const times: number[] = [];
  for (const rule of policy.rules) {
    const due = nextRuleDue(rule, state.rules[rule.name]);
    if (due !== null && due > now) times.push(due);
  }
  const hold = nextMetricHoldDue(policy, state, now);
  if (hold !== null) times.push(hold);
  const plan = nextPlanDue(policy, state, now);
  if (plan !== null) times.push(plan);
  const schedule = nextScheduleChange(policy.schedules, now);
  if (schedule !== null) times.push(schedule);
  return times.length ? Math.min(...times) : null;
}

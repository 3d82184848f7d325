import type { MetricTarget, ScalingPolicy } from '@surge/policy';
import type { MetricRecommendation } from './hpa-algorithm';
import type { MetricHold, SustainedOutcome, TargetState } from './state';

/**
 * A metric with `for`: it asks for a change only once it has been beyond its target, on one side, for `for`
 * without a break; until then it recommends the current value. A sample on the other side starts a new breach,
 * and one at the target, or none fresh (a missing metric), ends it.
 *
 * Once due, the recommendation is HPA's untolerated one: "above 70 % for 5 minutes" means any amount above.
 * The `for` is the user's noise filter, so HPA's tolerance band is not applied on top of it (76 % against 70 %
 * would never act otherwise). A metric without `for` never comes here: it is HPA's, tolerance and all.
 */
export function sustainMetric(
  metric: MetricTarget,
  rec: MetricRecommendation,
  previous: MetricHold | undefined,
  current: number,
  now: number,
): { rec: MetricRecommendation; hold?: MetricHold } {
  if (metric.forSeconds === undefined || rec.missing) return { rec };
  const direction = breachOf(rec, current);
  if (!direction) return { rec };
  const hold = previous?.direction === direction ? previous : { direction, since: now };
  const heldMs = now - hold.since;
  const due = heldMs >= metric.forSeconds * 1000;
  const sustained: SustainedOutcome = { direction, heldSeconds: heldMs / 1000, forSeconds: metric.forSeconds, due };
  // While it builds up, the hold is the metric's own answer, not tolerance's. Once due, rounding (ceil of a
  // value-typed setting's ratio) never turns a breach below the target into a step up, nor the reverse.
  const asked = !due
    ? current
    : direction === 'above'
      ? Math.max(current, rec.untolerated!)
      : Math.min(current, rec.untolerated!);
  return {
    rec: { ...rec, untolerated: asked, recommendation: asked, withinTolerance: false, sustained },
    hold,
  };
}

/**
 * The side of its target the metric is on, by HPA's usage ratio (so Utilization is truncated, as HPA does). At
 * a current value of 0 nothing can go lower, and any demand at all asks for a first unit, as HPA's ratio does.
 */
function breachOf(rec: MetricRecommendation, current: number): MetricHold['direction'] | undefined {
  if (current === 0) return rec.untolerated! > 0 ? 'above' : undefined;
  if (rec.usageRatio! > 1) return 'above';
  return rec.usageRatio! < 1 ? 'below' : undefined;
}

/** When the first of the holding metrics becomes due, so a timer evaluates then without waiting for a sample. */
export function nextMetricHoldDue(policy: ScalingPolicy, state: TargetState, now: number): number | null {
  let next: number | null = null;
  for (const metric of policy.metrics) {
    const hold = state.metricHolds?.[metric.metric];
    if (metric.forSeconds === undefined || !hold) continue;
    const due = hold.since + metric.forSeconds * 1000;
    if (due > now && (next === null || due < next)) next = due;
  }
  return next;
}

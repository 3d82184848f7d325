import type { ScalingRules } from '@surge/policy';
import type { ScaleEvent } from './state';

/** HPA's getReplicasChangePerPeriod: the change made by events strictly inside the last periodSeconds. */
export function changeInPeriod(events: readonly ScaleEvent[], periodSeconds: number, now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.reduce((sum, event) => (event.time > cutoff ? sum + event.change : sum), 0);
}

/** The value at the start of a policy's period: current, minus what was added and plus what was removed since. */
export function valueAtPeriodStart(
  current: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  periodSeconds: number,
  now: number,
): number {
  return current - changeInPeriod(upEvents, periodSeconds, now) + changeInPeriod(downEvents, periodSeconds, now);
}

/**
 * HPA's calculateScaleUpLimitWithScalingRules: each policy allows growth from the value at the start of its
 * period (current minus what was added, plus what was removed, within the period); Percent rounds up so a
 * small target can always grow. selectPolicy Max takes the most permissive policy, Min the least, Disabled
 * forbids scaling up. A limit below current is raised to current: no scale-down through a scale-up path.
 */
export function scaleUpLimit(
  current: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((policy) => {
    const periodStart = valueAtPeriodStart(current, upEvents, downEvents, policy.periodSeconds, now);
    return policy.type === 'Pods' ? periodStart + policy.value : Math.ceil(periodStart * (1 + policy.value / 100));
  });
  const limit = rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
  return Math.max(limit, current);
}

/**
 * HPA's calculateScaleDownLimitWithBehaviors: the mirror image. Percent truncates toward zero (Go's int32
 * conversion); selectPolicy Max means the largest change, so the lowest proposal.
 */
export function scaleDownLimit(
  current: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((policy) => {
    const periodStart = valueAtPeriodStart(current, upEvents, downEvents, policy.periodSeconds, now);
    return policy.type === 'Pods' ? periodStart - policy.value : Math.trunc(periodStart * (1 - policy.value / 100));
  });
  const limit = rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
  return Math.min(limit, current);
}

/**
 * HPA's storeScaleEvent: a new event goes into its own direction's list, taking the place of the first event
 * older than that direction's longest policy period (markScaleEventsOutdated), or appended when none is. The
 * other direction's list is left as it is: getReplicasChangePerPeriod counts the events of both directions
 * inside each policy's own period, so a scale-down event older than the scale-down policies' longest period
 * still counts against a longer scale-up period until a new scale-down event replaces it.
 */
export function storeScaleEvent(
  events: readonly ScaleEvent[],
  event: ScaleEvent,
  longestPeriodSeconds: number,
  now: number,
): ScaleEvent[] {
  const cutoff = now - longestPeriodSeconds * 1000;
  const outdated = events.findIndex((old) => old.time < cutoff);
  if (outdated === -1) return [...events, event];
  return events.map((old, index) => (index === outdated ? event : old));
}

import type { Behavior } from '@surge/policy';
import type { TimedRecommendation } from './state';

export interface StabilizationResult {
  value: number;
  /** The lowest recommendation of the scale-up window: the most scale-up allows. */
  upRecommendation: number;
  /** The highest recommendation of the scale-down window: the least scale-down allows. */
  downRecommendation: number;
  history: TimedRecommendation[];
}

/**
 * HPA's stabilizeRecommendationWithBehaviors: over the recommendations strictly newer than each window's
 * cutoff (the new one included), scale up no further than the window's minimum and down no further than its
 * maximum. The new, unstabilized recommendation is recorded; entries older than both windows are dropped.
 */
export function stabilize(
  history: readonly TimedRecommendation[],
  desired: number,
  current: number,
  now: number,
  behavior: Behavior,
): StabilizationResult {
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let upRecommendation = desired;
  let downRecommendation = desired;
  for (const rec of history) {
    if (rec.time > upCutoff) upRecommendation = Math.min(upRecommendation, rec.value);
    if (rec.time > downCutoff) downRecommendation = Math.max(downRecommendation, rec.value);
  }
  let value = current;
  if (value < upRecommendation) value = upRecommendation;
  if (value > downRecommendation) value = downRecommendation;
  return {
    value,
    upRecommendation,
    downRecommendation,
    history: recordRecommendation(history, desired, now, behavior),
  };
}

/** Records a recommendation without stabilizing, for evaluations that keep the value. */
export function recordRecommendation(
  history: readonly TimedRecommendation[],
  desired: number,
  now: number,
  behavior: Behavior,
): TimedRecommendation[] {
  const keepAfter =
    now - Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds) * 1000;
  return [...history.filter((rec) => rec.time > keepAfter), { time: now, value: desired }];
}

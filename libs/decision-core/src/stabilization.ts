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
 * maximum. The new, unstabilized recommendation is recorded; entries older than both windows, or that no window
 * can answer with any more, are dropped.
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

/**
 * Records a recommendation without stabilizing, for evaluations that keep the value.
 *
 * Surge evaluates on every sample rather than every 15 s, so a verbatim history would hold hundreds of entries
 * per target, each read and written with the target's state. Only the windows' minimum and maximum are ever
 * asked of it, and the windows always end now, so an entry with a newer one at least as high and a newer one at
 * least as low can never be an answer again: it is dropped. The result answers every window exactly as the full
 * history would, in at most one entry per distinct value. The history is in time order: the clock never goes back.
 */
export function recordRecommendation(
  history: readonly TimedRecommendation[],
  desired: number,
  now: number,
  behavior: Behavior,
): TimedRecommendation[] {
  const longest = Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds);
  return recordRecommendationAfter(history, desired, now, now - longest * 1000);
}

/** recordRecommendation for a window that keeps every entry newer than `keepAfter` (epoch ms). */
export function recordRecommendationAfter(
  history: readonly TimedRecommendation[],
  desired: number,
  now: number,
  keepAfter: number,
): TimedRecommendation[] {
  const newestFirst: TimedRecommendation[] = [{ time: now, value: desired }];
  let lowestNewer = desired;
  let highestNewer = desired;
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const rec = history[i]!;
    if (rec.time <= keepAfter) continue;
    if (rec.value <= highestNewer && rec.value >= lowestNewer) continue;
    newestFirst.push(rec);
    lowestNewer = Math.min(lowestNewer, rec.value);
    highestNewer = Math.max(highestNewer, rec.value);
  }
  return newestFirst.reverse();
}

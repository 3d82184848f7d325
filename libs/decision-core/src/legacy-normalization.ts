import { valueAtPeriodStart } from './scaling-policies';
import { recordRecommendationAfter } from './stabilization';
import type { ScaleEvent, TimedRecommendation } from './state';

/** The HPA controller's constants for an autoscaler without behavior (horizontal.go). */
export const LEGACY = {
  /** --horizontal-pod-autoscaler-downscale-stabilization, default 5 minutes. */
  stabilizationSeconds: 300,
  /** --horizontal-pod-autoscaler-sync-period, default 15 s: the legacy scale-up limit is per sync. */
  syncPeriodSeconds: 15,
  scaleUpLimitFactor: 2,
  scaleUpLimitMinimum: 4,
} as const;

/**
 * HPA's stabilizeRecommendation: the highest recommendation of the last 5 minutes, the new one included, in
 * both directions: a scale-down waits out the window, and a scale-up goes to the highest recent answer.
 */
export function stabilizeLegacy(
  history: readonly TimedRecommendation[],
  desired: number,
  now: number,
): { value: number; history: TimedRecommendation[] } {
  // A recommendation exactly at the cutoff still counts: HPA skips only those `Before(cutoff)`.
  const cutoff = now - LEGACY.stabilizationSeconds * 1000;
  let value = desired;
  for (const rec of history) if (rec.time >= cutoff && rec.value > value) value = rec.value;
  return { value, history: recordRecommendationAfter(history, desired, now, cutoff - 1) };
}

/**
 * HPA's calculateScaleUpLimit, as convertDesiredReplicasWithRules applies it once per sync: at most
 * max(2 × the value, 4). Surge evaluates on every sample, so the value is the one at the start of the sync
 * period, and several evaluations inside one period cannot compound. Scale-down has no rate limit here.
 */
export function legacyScaleUpLimit(
  current: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  now: number,
): number {
  const start = valueAtPeriodStart(current, upEvents, downEvents, LEGACY.syncPeriodSeconds, now);
  return Math.max(current, LEGACY.scaleUpLimitFactor * start, LEGACY.scaleUpLimitMinimum);
}

import type { ScalingPolicy } from '@surge/policy';
import type { MetricRecommendation } from './hpa-algorithm';
import type { RuleOutcome } from './threshold-rules';

export interface CombinedRecommendation {
  /** The largest recommendation, after tolerance. */
  value: number;
  /** The same, had tolerance not held any metric at the current value. */
  untolerated: number;
  winner: string;
  winnerKind: 'metric' | 'rule' | 'hold';
  winnerRule?: string;
}

/**
 * As HPA with several metrics, the largest recommendation wins; a rule's standing target competes on equal
 * terms. A policy of rules or schedules alone recommends the current value while no rule has fired.
 * Returns undefined when every metric is missing and nothing else recommends: HPA then does nothing.
 */
export function combineRecommendations(
  policy: ScalingPolicy,
  metrics: MetricRecommendation[],
  rules: RuleOutcome[],
  current: number,
): CombinedRecommendation | undefined {
  let best: CombinedRecommendation | undefined;
  let untolerated = -Infinity;
  for (const rec of metrics) {
    if (rec.recommendation === null) continue;
    untolerated = Math.max(untolerated, rec.untolerated!);
    if (!best || rec.recommendation > best.value)
      best = { value: rec.recommendation, untolerated: 0, winner: `metric ${rec.metric}`, winnerKind: 'metric' };
  }
  for (const outcome of rules) {
    if (outcome.target === null) continue;
    untolerated = Math.max(untolerated, outcome.target);
    if (!best || outcome.target > best.value)
      best = {
        value: outcome.target,
        untolerated: 0,
        winner: `rule ${outcome.name}`,
        winnerKind: 'rule',
        winnerRule: outcome.name,
      };
  }
  if (!best) {
    if (policy.metrics.length > 0) return undefined;
    return { value: current, untolerated: current, winner: 'hold (no rule fired)', winnerKind: 'hold' };
  }
  return { ...best, untolerated: Math.max(untolerated, best.value) };
}

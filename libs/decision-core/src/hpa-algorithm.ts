import type { Behavior, MetricTarget } from '@surge/policy';
import type { ObservedValue, SustainedOutcome } from './state';
import { isWithinTolerance } from './tolerance';

export interface MetricRecommendation {
  metric: string;
  type: MetricTarget['type'];
  target: number;
  value: number | null;
  sampleTime: number | null;
  missing: boolean;
  usageRatio: number | null;
  /** What the algorithm asks for before tolerance is applied. */
  untolerated: number | null;
  /** What the metric recommends: the current value while within tolerance. */
  recommendation: number | null;
  withinTolerance: boolean;
  /** The `window` the value was averaged over, for a metric that names one (metric-window.ts). */
  windowSeconds?: number;
  /** How far a `for` metric's breach has got (sustained-metric.ts). */
  sustained?: SustainedOutcome;
}

/**
 * HPA v2's replica calculation for one metric, for samples that describe the whole target:
 * - Utilization and Value: desired = ceil(current × value / target), as for Resource and Object metrics;
 * - AverageValue of a total: desired = ceil(total / averageValue), as HPA does for External metrics,
 *   with the usage ratio total / (averageValue × current) checked against tolerance.
 * With a current value of 0 the ratio alone is used, as the controller does for scaled-to-zero targets.
 * Utilization is truncated to a whole percent before the ratio is taken, as the controller's
 * GetResourceUtilizationRatio does (metrics/utilization.go: `int32(metricsTotal * 100 / requestsTotal)`).
 */
export function recommendForMetric(
  metric: MetricTarget,
  sample: ObservedValue | undefined,
  current: number,
  now: number,
  stalenessSeconds: number,
  behavior: Behavior,
): MetricRecommendation {
  // Object literals with every field spelled out: one allocation of one shape per metric and evaluation.
  if (!sample || now - sample.time > stalenessSeconds * 1000) {
    return {
      metric: metric.metric,
      type: metric.type,
      target: metric.target,
      value: sample?.value ?? null,
      sampleTime: sample?.time ?? null,
      missing: true,
      usageRatio: null,
      untolerated: null,
      recommendation: null,
      withinTolerance: false,
    };
  }
  let usageRatio: number;
  let untolerated: number;
  if (metric.type === 'AverageValue') {
    usageRatio = current === 0 ? sample.value / metric.target : sample.value / (metric.target * current);
    untolerated = Math.ceil(sample.value / metric.target);
  } else {
    usageRatio = (metric.type === 'Utilization' ? Math.trunc(sample.value) : sample.value) / metric.target;
    untolerated = current === 0 ? Math.ceil(usageRatio) : Math.ceil(usageRatio * current);
  }
  const withinTolerance = current !== 0 && isWithinTolerance(usageRatio, behavior);
  return {
    metric: metric.metric,
    type: metric.type,
    target: metric.target,
    value: sample.value,
    sampleTime: sample.time,
    missing: false,
    usageRatio,
    untolerated,
    recommendation: withinTolerance ? current : untolerated,
    withinTolerance,
  };
}

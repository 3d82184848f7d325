import type { ScalingPolicy } from '@surge/policy';
import { type MetricRecommendation, recommendForMetric } from './hpa-algorithm';
import { windowAverage } from './metric-window';
import type { MetricHold, ObservedValue, TargetState } from './state';
import { sustainMetric } from './sustained-metric';

/**
 * Every metric's recommendation: the value it reads (its last sample, or its `window` average), HPA's algorithm
 * on that value, then its `for` hold. Advances `state.metricHolds` in place, on the state evaluate() owns.
 */
export function recommendMetrics(
  policy: ScalingPolicy,
  state: TargetState,
  current: number,
  now: number,
): MetricRecommendation[] {
  let holds: Record<string, MetricHold> | undefined;
  const recs = policy.metrics.map((metric) => {
    const hpa = recommendForMetric(
      metric,
      readValue(state, metric.metric, metric.windowSeconds, now),
      current,
      now,
      policy.metricStalenessSeconds,
      policy.behavior,
    );
    const windowed = metric.windowSeconds === undefined ? hpa : { ...hpa, windowSeconds: metric.windowSeconds };
    const { rec, hold } = sustainMetric(metric, windowed, state.metricHolds?.[metric.metric], current, now);
    if (hold) (holds ??= {})[metric.metric] = hold;
    return rec;
  });
  if (holds) state.metricHolds = holds;
  else delete state.metricHolds;
  return recs;
}

/** The value a metric reads. A window's average keeps the latest sample's time: staleness follows that sample. */
function readValue(
  state: TargetState,
  metric: string,
  windowSeconds: number | undefined,
  now: number,
): ObservedValue | undefined {
  const latest = state.samples[metric];
  if (!latest || windowSeconds === undefined) return latest;
  const average = windowAverage(state.metricWindows?.[metric] ?? [], now, windowSeconds);
  return { value: average ?? latest.value, time: latest.time };
}

import type { PlanRun } from './plan-state';
import type { MetricSample } from '@surge/contracts';

/** The last sample of one metric: its value and event time. */
export interface ObservedValue {
  value: number;
  time: number;
}

/** One past recommendation, as HPA keeps them for its stabilization windows. */
export interface TimedRecommendation {
  time: number;
  value: number;
}

/** One applied change, as HPA keeps scale-up and scale-down events for its rate policies. */
export interface ScaleEvent {
  time: number;
  change: number;
}

export interface RuleState {
  /** Event time since which the condition has held without a break, or null while it does not hold. */
  holdingSince: number | null;
  lastFiredAt: number | null;
  /** The value the rule asked for when it last fired; it stays a recommendation while the breach lasts. */
  target: number | null;
  /** When this breach's `firing` alert was sent: present until its `resolved` one is (see rule-alerts.ts). */
  alertFiredAt?: number;
  /** A rule with `recovery` whose action changed the setting: the way back (rule-recovery.ts). */
  recovery?: RuleRecovery;
}

/** The value from before the rule first acted, and, once the condition has cleared, the walk back to it. */
export interface RuleRecovery {
  baseline: number;
  clearedSince?: number;
  /** The value the rule recommends on its way back; absent until the quiet period is over. */
  value?: number;
  /** When the next move is due. */
  nextAt?: number;
}

/** A `for` metric's breach in progress: which side of its target it is on, and since when without a break. */
export interface MetricHold {
  direction: 'above' | 'below';
  since: number;
}

/** How far a `for` metric's breach has got, for the explanation. */
export interface SustainedOutcome {
  direction: MetricHold['direction'];
  heldSeconds: number;
  forSeconds: number;
  /** The breach has held for `for`: the metric asks for HPA's value. */
  due: boolean;
}

/** One sample of a `window` metric, as a pair to keep the stored state small: event time, value. */
export type WindowPoint = [time: number, value: number];

/**
 * The fields a change moves, and the recommendations worked out from them: a dry-run keeps its own copy
 * (TargetState.preview), so that leaving it stabilizes the live run against live recommendations only.
 */
export type PreviewState = Pick<
  TargetState,
  'current' | 'lastScaleTime' | 'scaleUpEvents' | 'scaleDownEvents' | 'recommendations' | 'plans'
>;

/**
 * Everything the core remembers about one target between evaluations. Plain JSON by design: the
 * rules-engine keeps it in Redis so a restart or a partition move never forgets a recent scale-up.
 */
export interface TargetState {
  current: number | null;
  samples: Record<string, ObservedValue>;
  recommendations: TimedRecommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
  rules: Record<string, RuleState>;
  lastScaleTime: number | null;
  lastEvaluatedAt: number | null;
  /**
   * While the policy runs dry: the value and the scale events its previewed decisions would have made. Nothing
   * applies a dry-run decision, so the live fields keep following the observed value and the real changes,
   * and the rate policies' budget is not spent by changes that never happened (see evaluate).
   */
  preview?: PreviewState;
  /** The metric and reason of the last metric explanation, while that shortfall lasts (see non-decision.ts). */
  metricShortfall?: string;
  /**
   * Per `for` metric, while it is beyond its target (sustained-metric.ts). Workload-derived like `rules`, so a
   * dry-run keeps it in the live fields. Absent for a policy without `for`: its stored state does not grow.
   */
  metricHolds?: Record<string, MetricHold>;
  /** Per `window` metric, its recent samples, pruned to the window and capped (metric-window.ts). */
  metricWindows?: Record<string, WindowPoint[]>;
  /** Per plan rule, its latest run (plan-state.ts). Absent for a policy without plans. */
  plans?: Record<string, PlanRun>;
}

export function emptyState(current: number | null = null): TargetState {
  return {
    current,
    samples: {},
    recommendations: [],
    scaleUpEvents: [],
    scaleDownEvents: [],
    rules: {},
    lastScaleTime: null,
    lastEvaluatedAt: null,
  };
}

/**
 * Folds samples into a copy of the state. A sample of the policy's setting (a `replicas` sample, say) is
 * the target's observed current value, as executors and traces report it. Out-of-order samples never
 * overwrite a newer value.
 */
export function observeSamples(
  state: TargetState,
  samples: readonly Pick<MetricSample, 'metric' | 'value' | 'timestamp'>[],
  setting: string,
): TargetState {
  const next: TargetState = { ...state, samples: { ...state.samples } };
  for (const sample of samples) {
    const known = next.samples[sample.metric];
    if (known && known.time > sample.timestamp) continue;
    next.samples[sample.metric] = { value: sample.value, time: sample.timestamp };
    if (sample.metric === setting) next.current = sample.value;
  }
  return next;
}

import { SCALE_DECISION_SCHEMA_VERSION, type ScaleDecision } from '@surge/contracts';
import type { ScalingPolicy } from '@surge/policy';
import { applyMaxStep, clampToBounds, roundDownToStep, roundUpToStep } from './bounds';
import { explainConstraints } from './constraint-pipeline';
import { decisionIdOf } from './decision-id';
import { type AppliedConstraint, buildExplanation, explainMetric, explainRule, type Trigger } from './explanation';
import { type MetricRecommendation, recommendForMetric } from './hpa-algorithm';
import { legacyScaleUpLimit, stabilizeLegacy } from './legacy-normalization';
import { combineRecommendations } from './recommendation';
import { scaleDownLimit, scaleUpLimit, storeScaleEvent } from './scaling-policies';
import { scheduleFloor } from './schedules';
import { stabilize } from './stabilization';
import { observeSamples, type PreviewState, type RuleState, type TargetState } from './state';
import { evaluateRule, type RuleOutcome } from './threshold-rules';

export interface SampleInput {
  metric: string;
  value: number;
  timestamp: number;
}

export interface EvaluationInput {
  policy: ScalingPolicy;
  state: TargetState;
  samples?: readonly SampleInput[];
  /** The evaluation's clock: a sample's event time or a timer's due time, never the wall clock. Defaults to the latest sample. */
  now?: number;
  /** The operator's global pause. */
  globalPause?: boolean;
}

export interface EvaluationResult {
  state: TargetState;
  /** At most one: a decision is emitted only when the value changes. */
  decisions: ScaleDecision[];
  /** Why nothing was evaluated, when nothing was. */
  skipped?: string;
  rules: RuleOutcome[];
}

/**
 * One evaluation of one target, pure: samples are folded into the state, rules advance, every metric
 * recommends by HPA's algorithm, and the largest recommendation passes, in order, through tolerance,
 * stabilization, the rate policies, schedule floors, maxStep and min/max.
 *
 * A dry-run is a faithful preview: it evaluates against its own value and scale events (`preview`, started
 * from the live ones), so it climbs 2 → 6 → 10 → 14 as a live run would, instead of repeating its first step
 * from the unchanged observed value with a rate budget spent by changes nobody made. Leaving dry-run drops
 * the preview: the live run goes on from what is really there.
 */
export function evaluate(input: EvaluationInput): EvaluationResult {
  const { state } = input;
  if (!input.policy.dryRun) return evaluateLive(state.preview ? { ...input, state: withoutPreview(state) } : input);
  // The observed value is live: it is folded into the live fields, never into the preview. The clock is the
  // one every sample sets, the setting's included, as on the live path.
  const samples = input.samples ?? [];
  const live = observeSamples(state, samples, input.policy.setting);
  const workload = samples.filter((sample) => sample.metric !== input.policy.setting);
  const result = evaluateLive({ ...input, now: clockOf(input), samples: workload, state: previewView(live) });
  return { ...result, state: { ...result.state, ...previewFields(live), preview: previewFields(result.state) } };
}

/** The evaluation's clock: the one given, else the latest of the samples and of the last evaluation. */
function clockOf(input: EvaluationInput): number {
  let now = input.now ?? input.state.lastEvaluatedAt ?? 0;
  if (input.now === undefined) for (const sample of input.samples ?? []) now = Math.max(now, sample.timestamp);
  return now;
}

function previewFields(state: PreviewState): PreviewState {
  const { current, lastScaleTime, scaleUpEvents, scaleDownEvents, recommendations } = state;
  return { current, lastScaleTime, scaleUpEvents, scaleDownEvents, recommendations };
}

/** The state as the preview sees it; a preview not started yet, or whose value was unknown, starts from live. */
function previewView(live: TargetState): TargetState {
  const { preview, ...rest } = live;
  return preview && preview.current !== null ? { ...rest, ...preview } : rest;
}

function withoutPreview(state: TargetState): TargetState {
  const { preview: _preview, ...live } = state;
  return live;
}

function evaluateLive(input: EvaluationInput): EvaluationResult {
  const { policy } = input;
  const samples = input.samples ?? [];
  // A fresh copy that this evaluation owns: it is completed in place rather than copied at every step, since
  // the engine runs this for every sample and each copy is garbage to collect.
  const state = observeSamples(input.state, samples, policy.setting);
  const now = clockOf(input);
  state.lastEvaluatedAt = Math.max(now, state.lastEvaluatedAt ?? 0);
  const current = state.current;
  if (current === null) return { state, decisions: [], skipped: 'current value unknown', rules: [] };
  // HPA, for an autoscaler it has no history of (new, or its controller restarted): the current value counts as a
  // recommendation made now, so a scale-down waits out its stabilization window instead of following the first
  // low reading. Surge's history is empty only for a new target or one whose stored state was lost.
  if (state.recommendations.length === 0) state.recommendations = [{ time: now, value: current }];

  const fresh = (metric: string) => {
    const observed = state.samples[metric];
    return observed && now - observed.time <= policy.metricStalenessSeconds * 1000 ? observed.value : undefined;
  };
  const ruleStates: Record<string, RuleState> = {};
  const rules = policy.rules.map((rule) => {
    const result = evaluateRule(rule, state.rules[rule.name], fresh, now, current, policy.step);
    ruleStates[rule.name] = result.state;
    return result.outcome;
  });
  state.rules = ruleStates;

  if (policy.paused || input.globalPause)
    return { state, decisions: [], skipped: policy.paused ? 'policy paused' : 'globally paused', rules };
  // HPA: a target scaled to zero by hand has autoscaling disabled.
  if (policy.setting === 'replicas' && current === 0 && policy.min !== 0)
    return { state, decisions: [], skipped: 'scaled to zero: autoscaling disabled', rules };
  // HPA: outside [min, max] the bound is the answer, without metrics or behavior. Surge keeps one guardrail
  // here: maxStep. It is the operator's cap on one change, and the observed value is the input least worth
  // trusting (a mistyped or forged one is what lands out of bounds), so a value far outside walks back in
  // maxStep-sized decisions instead of jumping. Stabilization and the rate policies stay skipped, as in HPA: they
  // weigh recommendations, and a bound is not one.
  if (current < policy.min || current > policy.max) {
    const bounded = clampToBounds(current, policy.min, policy.max);
    const to = applyMaxStep(current, bounded, policy.maxStep);
    const constraints: AppliedConstraint[] = [
      {
        name: 'bounds',
        before: current,
        after: bounded,
        detail: `current value outside [${policy.min}, ${policy.max}]`,
      },
      {
        name: 'max-step',
        before: bounded,
        after: to,
        detail: policy.maxStep === undefined ? 'no maxStep' : `at most ${policy.maxStep} per decision`,
      },
    ];
    return finish(
      input,
      state,
      now,
      current,
      to,
      { kind: 'control', name: 'bounds' },
      'bounds',
      'the current value',
      current,
      constraints,
      [],
      rules,
    );
  }

  const metricRecs = policy.metrics.map((metric) =>
    recommendForMetric(
      metric,
      state.samples[metric.metric],
      current,
      now,
      policy.metricStalenessSeconds,
      policy.behavior,
    ),
  );
  const floor = scheduleFloor(policy.schedules, now);
  let combined = combineRecommendations(policy, metricRecs, rules, current);
  if (!combined && floor && floor.schedule.min > current)
    combined = { value: current, untolerated: current, winner: 'hold (metrics missing)', winnerKind: 'hold' };
  if (!combined) return { state, decisions: [], skipped: 'every metric is missing', rules };
  // HPA: with a metric missing, a scale-down could be wrong, so the evaluation is dropped, unrecorded.
  if (combined.value < current && metricRecs.some((rec) => rec.missing)) {
    const missing = metricRecs.filter((rec) => rec.missing).map((rec) => rec.metric);
    return { state, decisions: [], skipped: `scale-down skipped: ${missing.join(', ')} missing`, rules };
  }

  const raw = roundUpToStep(combined.untolerated, policy.step);
  const tolerated = roundUpToStep(combined.value, policy.step);
  const stabilized = policy.legacyBehavior
    ? legacyStabilized(state.recommendations, tolerated, now)
    : stabilize(state.recommendations, tolerated, current, now, policy.behavior);
  state.recommendations = stabilized.history;
  let limit: number | null = null;
  let limited = stabilized.value;
  if (limited > current) {
    limit = policy.legacyBehavior
      ? legacyScaleUpLimit(current, state.scaleUpEvents, state.scaleDownEvents, now)
      : scaleUpLimit(current, state.scaleUpEvents, state.scaleDownEvents, policy.behavior.scaleUp, now);
    // A Pods limit need not fall on the setting's step; round toward the recommendation so each step is reachable.
    limited = Math.min(limited, roundUpToStep(limit, policy.step));
  } else if (limited < current && !policy.legacyBehavior) {
    limit = scaleDownLimit(current, state.scaleUpEvents, state.scaleDownEvents, policy.behavior.scaleDown, now);
    limited = Math.max(limited, roundDownToStep(limit, policy.step));
  }
  const lifted = floor ? Math.max(limited, floor.schedule.min) : limited;
  const stepped = applyMaxStep(current, lifted, policy.maxStep);
  const bounded = clampToBounds(stepped, policy.min, policy.max);
  if (bounded === current) return { state, decisions: [], rules };

  const pipeline = { raw, tolerated, stabilized, limit, limited, floor, lifted, stepped, bounded };
  const byFloor = floor !== undefined && lifted > limited;
  const trigger: Trigger = byFloor
    ? { kind: 'schedule', name: floor.schedule.name }
    : combined.winnerKind === 'rule'
      ? { kind: 'rule', name: combined.winnerRule! }
      : { kind: 'metric', name: combined.winner.replace(/^metric /, '') };
  return finish(
    input,
    state,
    now,
    current,
    bounded,
    trigger,
    byFloor ? `schedule ${floor.schedule.name}` : combined.winner,
    combined.winner,
    raw,
    explainConstraints(policy, current, pipeline),
    metricRecs,
    rules,
  );
}

/** The legacy path's stabilization, in the shape the explanation reads: its one window answers both ways. */
function legacyStabilized(history: TargetState['recommendations'], desired: number, now: number) {
  const legacy = stabilizeLegacy(history, desired, now);
  return { ...legacy, upRecommendation: legacy.value, downRecommendation: legacy.value };
}

function finish(
  input: EvaluationInput,
  stateIn: TargetState,
  now: number,
  current: number,
  to: number,
  trigger: Trigger,
  winner: string,
  recommendedBy: string,
  raw: number,
  constraints: AppliedConstraint[],
  metricRecs: MetricRecommendation[],
  rules: RuleOutcome[],
): EvaluationResult {
  const { policy } = input;
  if (to === current) return { state: stateIn, decisions: [], rules };
  // The direction is the sign of the change this decision makes, whatever branch produced it.
  const up = to > current;
  const longest = (direction: 'scaleUp' | 'scaleDown') =>
    Math.max(0, ...policy.behavior[direction].policies.map((p) => p.periodSeconds));
  const event = { time: now, change: Math.abs(to - current) };
  const state: TargetState = {
    ...stateIn,
    current: to,
    lastScaleTime: now,
    scaleUpEvents: up ? storeScaleEvent(stateIn.scaleUpEvents, event, longest('scaleUp'), now) : stateIn.scaleUpEvents,
    scaleDownEvents: up
      ? stateIn.scaleDownEvents
      : storeScaleEvent(stateIn.scaleDownEvents, event, longest('scaleDown'), now),
  };
  const winningRule = trigger.kind === 'rule' ? policy.rules.find((rule) => rule.name === trigger.name) : undefined;
  const decision: ScaleDecision = {
    schemaVersion: SCALE_DECISION_SCHEMA_VERSION,
    decisionId: decisionIdOf(policy.target.id, policy.version, now),
    target: { kind: policy.target.kind, id: policy.target.id },
    setting: policy.setting,
    from: current,
    to,
    direction: up ? 'up' : 'down',
    severity: winningRule?.severity ?? 'info',
    dryRun: policy.dryRun,
    policy: policy.name,
    policyVersion: policy.version,
    eventTime: now,
    explanation: buildExplanation({
      policy,
      from: current,
      to,
      trigger,
      winner,
      recommendedBy,
      raw,
      metrics: metricRecs.map((rec) => explainMetric(rec, policy.metricStalenessSeconds)),
      rules: rules.map(explainRule),
      constraints,
    }),
  };
  return { state, decisions: [decision], rules };
}

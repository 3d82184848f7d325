import { SCALE_DECISION_SCHEMA_VERSION, type ScaleDecision } from '@surge/contracts';
import type { ScalingPolicy } from '@surge/policy';
import { applyMaxStep, clampToBounds, roundDownToStep, roundUpToStep } from './bounds';
import { decisionIdOf } from './decision-id';
import { type AppliedConstraint, buildExplanation, explainMetric, explainRule, type Trigger } from './explanation';
import type { MetricRecommendation } from './hpa-algorithm';
import { recommendForMetric } from './hpa-algorithm';
import { combineRecommendations } from './recommendation';
import { pruneEvents, scaleDownLimit, scaleUpLimit } from './scaling-policies';
import { scheduleFloor } from './schedules';
import { stabilize } from './stabilization';
import { observeSamples, type RuleState, type TargetState } from './state';
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

/**
 * A constraint as the pipeline records it: the numbers at once, the sentence only when a decision is built.
 * Most evaluations keep the value and are never explained, and formatting the details dominated their cost.
 */
type PendingConstraint = Omit<AppliedConstraint, 'detail'> & { detail: () => string };

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
 */
export function evaluate(input: EvaluationInput): EvaluationResult {
  const { policy } = input;
  const samples = input.samples ?? [];
  let state = observeSamples(input.state, samples, policy.setting);
  const now = input.now ?? Math.max(...samples.map((s) => s.timestamp), state.lastEvaluatedAt ?? 0);
  state = { ...state, lastEvaluatedAt: Math.max(now, state.lastEvaluatedAt ?? 0) };
  const current = state.current;
  if (current === null) return { state, decisions: [], skipped: 'current value unknown', rules: [] };

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
  state = { ...state, rules: ruleStates };

  if (policy.paused || input.globalPause)
    return { state, decisions: [], skipped: policy.paused ? 'policy paused' : 'globally paused', rules };
  // HPA: a target scaled to zero by hand has autoscaling disabled.
  if (policy.setting === 'replicas' && current === 0 && policy.min !== 0)
    return { state, decisions: [], skipped: 'scaled to zero: autoscaling disabled', rules };
  // HPA: outside [min, max] the bound is the answer, without metrics or behavior.
  if (current < policy.min || current > policy.max) {
    const to = clampToBounds(current, policy.min, policy.max);
    const constraints: PendingConstraint[] = [
      {
        name: 'bounds',
        before: current,
        after: to,
        detail: () => `current value outside [${policy.min}, ${policy.max}]`,
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
  const missing = metricRecs.filter((rec) => rec.missing).map((rec) => rec.metric);
  // HPA: with a metric missing, a scale-down could be wrong, so the evaluation is dropped, unrecorded.
  if (missing.length && combined.value < current)
    return { state, decisions: [], skipped: `scale-down skipped: ${missing.join(', ')} missing`, rules };

  const constraints: PendingConstraint[] = [];
  const raw = roundUpToStep(combined.untolerated, policy.step);
  let value = roundUpToStep(combined.value, policy.step);
  constraints.push({
    name: 'tolerance',
    before: raw,
    after: value,
    detail: () =>
      `within [${1 - policy.behavior.scaleDown.tolerance}, ${1 + policy.behavior.scaleUp.tolerance}] of target keeps the current value`,
  });

  const stabilized = stabilize(state.recommendations, value, current, now, policy.behavior);
  state = { ...state, recommendations: stabilized.history };
  constraints.push({
    name: 'stabilization',
    before: value,
    after: stabilized.value,
    detail: () =>
      `scale-up window ${policy.behavior.scaleUp.stabilizationWindowSeconds}s (lowest ${stabilized.upRecommendation}), scale-down window ${policy.behavior.scaleDown.stabilizationWindowSeconds}s (highest ${stabilized.downRecommendation})`,
  });
  value = stabilized.value;

  const before = value;
  if (value > current) {
    const limit = scaleUpLimit(current, state.scaleUpEvents, state.scaleDownEvents, policy.behavior.scaleUp, now);
    // A Pods limit need not fall on the setting's step; round toward the recommendation so each step is reachable.
    value = Math.min(value, roundUpToStep(limit, policy.step));
    constraints.push({
      name: 'policy-limit',
      before,
      after: value,
      detail: () => `scaleUp selectPolicy ${policy.behavior.scaleUp.selectPolicy} allows up to ${limit}`,
    });
  } else if (value < current) {
    const limit = scaleDownLimit(current, state.scaleUpEvents, state.scaleDownEvents, policy.behavior.scaleDown, now);
    value = Math.max(value, roundDownToStep(limit, policy.step));
    constraints.push({
      name: 'policy-limit',
      before,
      after: value,
      detail: () => `scaleDown selectPolicy ${policy.behavior.scaleDown.selectPolicy} allows down to ${limit}`,
    });
  } else {
    constraints.push({ name: 'policy-limit', before, after: value, detail: () => 'no change' });
  }

  let trigger: Trigger =
    combined.winnerKind === 'rule'
      ? { kind: 'rule', name: combined.winnerRule! }
      : { kind: 'metric', name: combined.winner.replace(/^metric /, '') };
  let winner = combined.winner;
  if (floor) {
    const lifted = Math.max(value, floor.schedule.min);
    constraints.push({
      name: 'schedule-floor',
      before: value,
      after: lifted,
      detail: () =>
        `schedule ${floor.schedule.name} (${floor.schedule.cron} ${floor.schedule.timezone}) holds at least ${floor.schedule.min}`,
    });
    if (lifted > value) {
      trigger = { kind: 'schedule', name: floor.schedule.name };
      winner = `schedule ${floor.schedule.name}`;
    }
    value = lifted;
  }
  const stepped = applyMaxStep(current, value, policy.maxStep);
  constraints.push({
    name: 'max-step',
    before: value,
    after: stepped,
    detail: () => (policy.maxStep === undefined ? 'no maxStep' : `at most ${policy.maxStep} per decision`),
  });
  const bounded = clampToBounds(stepped, policy.min, policy.max);
  constraints.push({
    name: 'bounds',
    before: stepped,
    after: bounded,
    detail: () => `min ${policy.min}, max ${policy.max}`,
  });

  return finish(
    input,
    state,
    now,
    current,
    bounded,
    trigger,
    winner,
    combined.winner,
    raw,
    constraints,
    metricRecs,
    rules,
  );
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
  pending: PendingConstraint[],
  metricRecs: MetricRecommendation[],
  rules: RuleOutcome[],
): EvaluationResult {
  const { policy } = input;
  if (to === current) return { state: stateIn, decisions: [], rules };
  const up = to > current;
  const longest = (direction: 'scaleUp' | 'scaleDown') =>
    Math.max(0, ...policy.behavior[direction].policies.map((p) => p.periodSeconds));
  const event = { time: now, change: Math.abs(to - current) };
  const state: TargetState = {
    ...stateIn,
    current: to,
    lastScaleTime: now,
    scaleUpEvents: [...pruneEvents(stateIn.scaleUpEvents, longest('scaleUp'), now), ...(up ? [event] : [])],
    scaleDownEvents: [...pruneEvents(stateIn.scaleDownEvents, longest('scaleDown'), now), ...(up ? [] : [event])],
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
      constraints: pending.map(({ detail, ...constraint }) => ({ ...constraint, detail: detail() })),
    }),
  };
  return { state, decisions: [decision], rules };
}

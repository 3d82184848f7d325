import {
  type ActionResult,
  type AlertEvent,
  SCALE_DECISION_SCHEMA_VERSION,
  type ScaleDecision,
  type ScaleExplanation,
} from '@surge/contracts';
import { coarseSeverity, type ScalingPolicy } from '@surge/policy';
import { applyMaxStep, clampToBounds, roundDownToStep, roundUpToStep } from './bounds';
import { explainConstraints } from './constraint-pipeline';
import { decisionIdOf } from './decision-id';
import { type AppliedConstraint, buildExplanation, explainMetric, explainRule, type Trigger } from './explanation';
import type { MetricRecommendation } from './hpa-algorithm';
import { recommendMetrics } from './metric-recommendations';
import { observeWindows } from './metric-window';
import { legacyScaleUpLimit, stabilizeLegacy } from './legacy-normalization';
import { liveFields, previewFields, previewView, withoutPreview } from './dry-run-preview';
import { pausedExplanations, shortfallExplanations } from './non-decision';
import type { CostLookup, VerdictLookup } from './plan-approval';
import { holdToClaims, type PlanClaim, runClaims } from './plan-claims';
import { advancePlans, foldPlanResult, type ObservedLookup, type PlanContext, trackPlanRules } from './plan-runs';
import { combineRecommendations } from './recommendation';
import { trackRuleAlert } from './rule-alerts';
import { scaleDownLimit, scaleUpLimit, storeScaleEvent } from './scaling-policies';
import { describeScheduleBounds, effectiveBounds } from './schedule-bounds';
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
  /** Other targets' observed settings, for plan steps that act on them. */
  observed?: ObservedLookup;
  /** Running plans' holds on this policy's target and setting, from other policies (plan-claims.ts). */
  claims?: readonly PlanClaim[];
  /** Operators' answers to plan steps awaiting approval, and the targets' cost models (plan-approval.ts). */
  verdicts?: VerdictLookup;
  costs?: CostLookup;
}

export interface EvaluationResult {
  state: TargetState;
  /** At most one: a decision is emitted only when the value changes. */
  decisions: ScaleDecision[];
  /** Why nothing was evaluated, when nothing was. */
  skipped?: string;
  rules: RuleOutcome[];
  /** Alert transitions of the notifying rules (rule-alerts.ts). */
  alerts: AlertEvent[];
  /** What a fired rule or a metric asked for and did not get, and why (non-decision.ts). */
  explanations: ScaleExplanation[];
}

/** The alerts, explanations and plan decisions an evaluation emits, collected as it goes, whichever way it returns. */
type Emitted = Pick<EvaluationResult, 'alerts' | 'explanations'> & { planDecisions: ScaleDecision[] };
type CoreResult = Omit<EvaluationResult, 'alerts' | 'explanations'>;

/**
 * One evaluation of one target, pure: samples are folded into the state, rules advance, every metric
 * recommends by HPA's algorithm, and the largest recommendation passes, in order, through tolerance,
 * stabilization, the rate policies, schedule caps and floors, maxStep and min/max.
 *
 * A dry-run is a faithful preview: it evaluates against its own value and scale events (`preview`, started
 * from the live ones), so it climbs 2 → 6 → 10 → 14 as a live run would, instead of repeating its first step
 * from the unchanged observed value with a rate budget spent by changes nobody made. Leaving dry-run drops
 * the preview: the live run goes on from what is really there.
 */
export function evaluate(input: EvaluationInput): EvaluationResult {
  const { state } = input;
  const emitted: Emitted = { alerts: [], explanations: [], planDecisions: [] };
  if (!input.policy.dryRun)
    return withEmitted(
      evaluateLive(state.preview ? { ...input, state: withoutPreview(state) } : input, emitted),
      emitted,
    );
  // The observed value is live: it is folded into the live fields, never into the preview. The clock is the
  // one every sample sets, the setting's included, as on the live path.
  const samples = input.samples ?? [];
  const live = observeSamples(state, samples, input.policy.setting);
  const workload = samples.filter((sample) => sample.metric !== input.policy.setting);
  // A dry-run previews scaling, not notifications: its rules alert as live ones do.
  const result = evaluateLive({ ...input, now: clockOf(input), samples: workload, state: previewView(live) }, emitted);
  return withEmitted(
    { ...result, state: { ...result.state, ...liveFields(live), preview: previewFields(result.state) } },
    emitted,
  );
}

/** A plan's steps go out before the pipeline's own decision, in the order they were decided. */
function withEmitted(result: CoreResult, emitted: Emitted): EvaluationResult {
  const decisions = emitted.planDecisions.length ? [...emitted.planDecisions, ...result.decisions] : result.decisions;
  return { ...result, decisions, alerts: emitted.alerts, explanations: emitted.explanations };
}

/** The evaluation's clock: the one given, else the latest of the samples and of the last evaluation. */
function clockOf(input: EvaluationInput): number {
  let now = input.now ?? input.state.lastEvaluatedAt ?? 0;
  if (input.now === undefined) for (const sample of input.samples ?? []) now = Math.max(now, sample.timestamp);
  return now;
}

function evaluateLive(input: EvaluationInput, emitted: Emitted): CoreResult {
  const { policy } = input;
  const samples = input.samples ?? [];
  // A fresh copy that this evaluation owns: it is completed in place rather than copied at every step, since
  // the engine runs this for every sample and each copy is garbage to collect.
  const state = observeSamples(input.state, samples, policy.setting);
  const now = clockOf(input);
  const windows = observeWindows(state.metricWindows, policy.metrics, samples, now);
  if (windows) state.metricWindows = windows;
  else delete state.metricWindows;
  state.lastEvaluatedAt = Math.max(now, state.lastEvaluatedAt ?? 0);
  const current = state.current;
  if (current === null) return { state, decisions: [], skipped: 'current value unknown', rules: [] };
  // HPA, for an autoscaler it has no history of (new, or its controller restarted): the current value counts as a
  // recommendation made now, so a scale-down waits out its stabilization window instead of following the first
  // low reading. Surge's history is empty only for a new target or one whose stored state was lost.
  if (state.recommendations.length === 0) state.recommendations = [{ time: now, value: current }];

  const fresh = freshMetric(policy, state, now, current);
  const ruleStates: Record<string, RuleState> = {};
  const rules = policy.rules.map((rule) => {
    const result = evaluateRule(rule, state.rules[rule.name], fresh, now, current, policy.step);
    const alerted = trackRuleAlert(policy, rule, state.rules[rule.name], result, now);
    if (alerted.alert) emitted.alerts.push(alerted.alert);
    ruleStates[rule.name] = alerted.state;
    return result.outcome;
  });
  state.rules = ruleStates;
  // The runs are advanced in place: on this evaluation's own copy, never on the caller's state.
  if (state.plans) state.plans = structuredClone(state.plans);
  const plans: PlanContext = {
    policy,
    state,
    now,
    observed: input.observed,
    metric: fresh,
    alerts: emitted.alerts,
    claims: otherClaims(policy, state, input.claims),
    verdicts: input.verdicts,
    costs: input.costs,
  };
  trackPlanRules(plans, rules);

  // Rules have advanced and alerted above: a paused policy's rules still alert, and so do they under the global
  // pause, which stops actuation (often mid-incident), not people learning of a breach.
  if (policy.paused || input.globalPause) {
    emitted.explanations.push(
      ...pausedExplanations(policy, rules, current, policy.paused ? 'paused' : 'globally-paused', now),
    );
    return { state, decisions: [], skipped: policy.paused ? 'policy paused' : 'globally paused', rules };
  }
  // A plan step that sets the policy's own setting is this evaluation's decision for it: the pipeline, reading
  // the value from before the step, would send a second, conflicting one. The next evaluation sees the step's hold.
  if (decidePlanSteps(plans, emitted)) return { state, decisions: [], skipped: 'a plan step sets it', rules };
  // HPA: a target scaled to zero by hand has autoscaling disabled.
  if (policy.setting === 'replicas' && current === 0 && policy.min !== 0)
    return { state, decisions: [], skipped: 'scaled to zero: autoscaling disabled', rules };
  // HPA: outside [min, max] the bound is the answer, without metrics or behavior. Surge keeps one guardrail
  // here: maxStep. It is the operator's cap on one change, and the observed value is the input least worth
  // trusting (a mistyped or forged one is what lands out of bounds), so a value far outside walks back in
  // maxStep-sized decisions instead of jumping. Stabilization and the rate policies stay skipped, as in HPA: they
  // weigh recommendations, and a bound is not one. While a schedule is active its bounds replace the policy's
  // (schedule-bounds.ts), and a value inside either is not out of bounds: the pipeline moves it.
  const bounds = effectiveBounds(policy, now);
  const { tolerated: inBounds } = bounds;
  if (current < inBounds.min || current > inBounds.max) {
    const bounded = clampToBounds(current, bounds.min, bounds.max);
    const to = applyMaxStep(current, bounded, policy.maxStep);
    const constraints: AppliedConstraint[] = [
      {
        name: 'bounds',
        before: current,
        after: bounded,
        detail: `current value outside [${inBounds.min}, ${inBounds.max}]${describeScheduleBounds(bounds)}`,
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

  const metricRecs = recommendMetrics(policy, state, current, now);
  const { floor, cap } = bounds;
  // A window that excludes the current value moves it whatever the metrics say, even with them missing.
  const scheduled = current < bounds.min || current > bounds.max;
  const hold = { value: current, untolerated: current, winner: 'hold (metrics missing)', winnerKind: 'hold' as const };
  let combined = combineRecommendations(policy, metricRecs, rules, current);
  if (!combined && scheduled) combined = hold;
  if (!combined) return { state, decisions: [], skipped: 'every metric is missing', rules };
  // Nothing recommends (a policy of rules and plans, none asking): no opinion, so nothing is recorded either. A
  // recorded hold would later stabilize the setting back up to a value something else (a plan's revert, a person)
  // had since lowered.
  if (combined.winnerKind === 'hold' && !scheduled) return { state, decisions: [], rules };
  // HPA: with a metric missing, a scale-down could be wrong, so the evaluation is dropped, unrecorded. A
  // schedule's cap is no metric's guess: it still applies, from the current value.
  if (combined.value < current && metricRecs.some((rec) => rec.missing)) {
    const missing = metricRecs.filter((rec) => rec.missing).map((rec) => rec.metric);
    if (!scheduled)
      return { state, decisions: [], skipped: `scale-down skipped: ${missing.join(', ')} missing`, rules };
    combined = hold;
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
  // The cap first and the floor last, so a floor above a cap wins (schedule-bounds.ts).
  const capped = cap ? Math.min(limited, bounds.max) : limited;
  const lifted = floor ? Math.max(capped, bounds.min) : capped;
  const stepped = applyMaxStep(current, lifted, policy.maxStep);
  // Against the policy's and the schedules' bounds together (inBounds): clamping to the schedule's alone would
  // undo maxStep on the way into a window, which the schedule step above already asked for.
  const bounded = clampToBounds(stepped, inBounds.min, inBounds.max);
  const pipeline = {
    raw,
    tolerated,
    stabilized,
    limit,
    limited,
    bounds,
    floor,
    cap,
    capped,
    lifted,
    stepped,
    bounded,
  };
  emitted.explanations.push(...shortfallExplanations(policy, state, rules, combined, pipeline, current, now));
  const held = holdToClaims(policy, current, bounded, claimsOn(policy, state, input.claims));
  if (held.value === current) return { state, decisions: [], rules };

  const bySchedule = lifted > limited ? floor : lifted < limited ? cap : undefined;
  const trigger: Trigger = bySchedule
    ? { kind: 'schedule', name: bySchedule.schedule.name }
    : combined.winnerKind === 'rule'
      ? { kind: 'rule', name: combined.winnerRule! }
      : { kind: 'metric', name: combined.winner.replace(/^metric /, '') };
  return finish(
    input,
    state,
    now,
    current,
    held.value,
    trigger,
    bySchedule ? `schedule ${bySchedule.schedule.name}` : combined.winner,
    combined.winner,
    raw,
    held.constraint
      ? [...explainConstraints(policy, current, pipeline), held.constraint]
      : explainConstraints(policy, current, pipeline),
    metricRecs,
    rules,
  );
}

/**
 * Starts the runs of the plan rules whose breach fired and decides their due steps. A step on the policy's own setting
 * moves `current` as a decision of the pipeline does; true when one did.
 */
function decidePlanSteps(plans: PlanContext, emitted: Emitted): boolean {
  let ownSetting = false;
  for (const decision of advancePlans(plans)) {
    emitted.planDecisions.push(decision);
    const { policy, state } = plans;
    if (decision.target.id !== policy.target.id || decision.setting !== policy.setting) continue;
    state.current = decision.to;
    ownSetting = true;
  }
  return ownSetting;
}

/**
 * An action result of one of this target's plan runs: the run records it and its next step is decided at once
 * (or its revert's next move), without evaluating the metrics. Unknown or repeated results change nothing.
 */
export function onPlanResults(input: PlanResultsInput): PlanResultsOutcome {
  if (!input.policy.dryRun) return foldResults(input);
  // A dry run's results are its preview's: folded into its runs there, never into the live state's.
  const outcome = foldResults({ ...input, state: previewView(input.state) });
  if (!outcome.changed) return { ...outcome, state: input.state };
  return { ...outcome, state: { ...input.state, preview: previewFields(outcome.state) } };
}

interface PlanResultsInput {
  policy: ScalingPolicy;
  state: TargetState;
  results: readonly ActionResult[];
  now: number;
  globalPause?: boolean;
  observed?: ObservedLookup;
  claims?: readonly PlanClaim[];
  verdicts?: VerdictLookup;
  costs?: CostLookup;
}

type PlanResultsOutcome = { state: TargetState; decisions: ScaleDecision[]; alerts: AlertEvent[]; changed: boolean };

function foldResults(input: PlanResultsInput): PlanResultsOutcome {
  const state: TargetState = { ...input.state, plans: structuredClone(input.state.plans) };
  const now = Math.max(input.now, state.lastEvaluatedAt ?? 0);
  const emitted: Emitted = { alerts: [], explanations: [], planDecisions: [] };
  const plans: PlanContext = {
    policy: input.policy,
    state,
    now,
    observed: input.observed,
    metric: freshMetric(input.policy, state, now, state.current),
    alerts: emitted.alerts,
    claims: otherClaims(input.policy, state, input.claims),
    verdicts: input.verdicts,
    costs: input.costs,
  };
  let changed = false;
  for (const result of input.results) changed = foldPlanResult(plans, result) || changed;
  if (!changed) return { state: input.state, decisions: [], alerts: [], changed };
  if (!input.policy.paused && !input.globalPause) decidePlanSteps(plans, emitted);
  return { state, decisions: emitted.planDecisions, alerts: emitted.alerts, changed };
}

/** Every hold but a run's own: its policy's other runs', read from the state as it is then, and other policies'. */
function otherClaims(policy: ScalingPolicy, state: TargetState, others: readonly PlanClaim[] = []) {
  return (exceptRun: string) => [...others, ...runClaims(policy, state).filter((claim) => claim.runId !== exceptRun)];
}

/**
 * Every hold on the policy's setting: other policies' and its own runs' (a dry run's are its preview's). The
 * engine's hot path: with neither, nothing is allocated.
 */
function claimsOn(policy: ScalingPolicy, state: TargetState, others: readonly PlanClaim[] | undefined) {
  const own = runClaims(policy, state);
  if (!own.length) return others ?? own;
  return others?.length ? [...others, ...own] : own;
}

/**
 * A metric's value if its latest sample is fresh. The policy's own setting is the executor's observation, which
 * stays true until it changes: `current` as the evaluation found it.
 */
function freshMetric(policy: ScalingPolicy, state: TargetState, now: number, current: number | null) {
  const staleness = policy.metricStalenessSeconds * 1000;
  return (metric: string): number | undefined => {
    if (metric === policy.setting && current !== null) return current;
    const observed = state.samples[metric];
    return observed && now - observed.time <= staleness ? observed.value : undefined;
  };
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
): CoreResult {
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
    severity: winningRule ? coarseSeverity(winningRule.severity) : 'info',
    ...(winningRule ? { ruleSeverity: winningRule.severity } : {}),
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

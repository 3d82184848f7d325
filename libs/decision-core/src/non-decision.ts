import { type ExplanationReason, SCALE_EXPLANATION_SCHEMA_VERSION, type ScaleExplanation } from '@surge/contracts';
import type { ScalingPolicy } from '@surge/policy';
import type { ConstraintPipeline } from './constraint-pipeline';
import { explanationIdOf } from './event-ids';
import type { CombinedRecommendation } from './recommendation';
import type { TargetState } from './state';
import type { RuleOutcome } from './threshold-rules';

type Trigger = ScaleExplanation['trigger'];

/** The reason each step of the pipeline gives, in the order applied; `bounds` says at-max or at-min. */
const STEP_REASONS = ['stabilized', 'rate-limited', 'schedule', 'max-step', 'bounds'] as const;

/**
 * The constraint that set the final value short of `wanted`: the last stage that moved the value away from it,
 * since that one explains the number decided (rate-limited to 12 and then capped at 10 is "capped at 10").
 * Undefined when nothing fell short.
 */
export function limitingReason(wanted: number, current: number, p: ConstraintPipeline): ExplanationReason | undefined {
  const direction = Math.sign(wanted - current);
  if (direction === 0 || Math.sign(wanted - p.bounded) !== direction) return undefined;
  const values = [p.tolerated, p.stabilized.value, p.limited, p.lifted, p.stepped, p.bounded];
  let reason: (typeof STEP_REASONS)[number] | undefined;
  STEP_REASONS.forEach((step, index) => {
    if (Math.sign(values[index]! - values[index + 1]!) === direction) reason = step;
  });
  if (reason !== 'bounds') return reason;
  return direction > 0 ? 'at-max' : 'at-min';
}

/**
 * Explanations of what the pipeline did not do. One per rule firing (a rule fires once per `for`, so this is
 * once per breach and `for`, never once per sample), for each fired rule whose ask the decided value falls short
 * of. For the winning metric, one per change of its limiting reason: a metric asks again at every sample, and a
 * scale-down held by stabilization for five minutes would otherwise write one record per sample. The last
 * reason is kept in the state (metricShortfall) and forgotten once nothing falls short, so the next one is told.
 */
export function shortfallExplanations(
  policy: ScalingPolicy,
  state: TargetState,
  rules: readonly RuleOutcome[],
  combined: CombinedRecommendation,
  pipeline: ConstraintPipeline,
  current: number,
  now: number,
): ScaleExplanation[] {
  const explanations: ScaleExplanation[] = [];
  for (const outcome of rules) {
    if (!outcome.fired || outcome.target === null) continue;
    const reason = limitingReason(outcome.target, current, pipeline);
    if (reason)
      explanations.push(
        explanationOf(policy, { kind: 'rule', name: outcome.name }, outcome.target, current, pipeline, reason, now),
      );
  }
  const metric = combined.winnerKind === 'metric' ? combined.winner.replace(/^metric /, '') : undefined;
  const reason = metric === undefined ? undefined : limitingReason(pipeline.tolerated, current, pipeline);
  const shortfall = reason === undefined ? undefined : `${metric}:${reason}`;
  if (shortfall !== undefined && shortfall !== state.metricShortfall)
    explanations.push(
      explanationOf(policy, { kind: 'metric', name: metric! }, pipeline.tolerated, current, pipeline, reason!, now),
    );
  if (shortfall === undefined) delete state.metricShortfall;
  else state.metricShortfall = shortfall;
  return explanations;
}

/** Under a pause nothing is decided: each rule that fired and asked for a change is told it was not made. */
export function pausedExplanations(
  policy: ScalingPolicy,
  rules: readonly RuleOutcome[],
  current: number,
  reason: 'paused' | 'globally-paused',
  now: number,
): ScaleExplanation[] {
  return rules
    .filter((outcome) => outcome.fired && outcome.target !== null && outcome.target !== current)
    .map((outcome) =>
      explanationOf(policy, { kind: 'rule', name: outcome.name }, outcome.target!, current, undefined, reason, now),
    );
}

function explanationOf(
  policy: ScalingPolicy,
  trigger: Trigger,
  wanted: number,
  current: number,
  pipeline: ConstraintPipeline | undefined,
  reason: ExplanationReason,
  now: number,
): ScaleExplanation {
  const decided = pipeline?.bounded ?? current;
  return {
    schemaVersion: SCALE_EXPLANATION_SCHEMA_VERSION,
    explanationId: explanationIdOf(policy.target.id, policy.version, trigger, now),
    target: { kind: policy.target.kind, id: policy.target.id },
    setting: policy.setting,
    policy: policy.name,
    policyVersion: policy.version,
    trigger,
    wanted,
    current,
    decided,
    reason,
    summary: `wanted ${wanted} by ${trigger.kind} ${trigger.name}, ${limitPhrase(policy, reason, decided, wanted > current, pipeline)}`,
    eventTime: now,
  };
}

function limitPhrase(
  policy: ScalingPolicy,
  reason: ExplanationReason,
  decided: number,
  up: boolean,
  pipeline: ConstraintPipeline | undefined,
): string {
  const replicas = policy.setting === 'replicas';
  const direction = up ? 'scaleUp' : 'scaleDown';
  switch (reason) {
    case 'at-max':
      return `capped at ${replicas ? 'maxReplicas' : 'max'} ${policy.max}`;
    case 'at-min':
      return `held at ${replicas ? 'minReplicas' : 'min'} ${policy.min}`;
    case 'rate-limited':
      return `limited to ${decided} by the ${direction} rate policies`;
    case 'stabilized':
      return `held at ${decided} by the ${direction} stabilization window`;
    case 'max-step':
      return `limited to ${decided} by maxStep ${policy.maxStep}`;
    case 'schedule':
      return `held at ${decided} by schedule ${(up ? pipeline?.cap : pipeline?.floor)?.schedule.name ?? '(unknown)'}`;
    case 'paused':
      return `kept at ${decided}: policy paused`;
    case 'globally-paused':
      return `kept at ${decided}: globally paused`;
  }
}

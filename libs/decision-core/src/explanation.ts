import type { DecisionExplanation } from '@surge/contracts';
import type { ScalingPolicy } from '@surge/policy';
import type { MetricRecommendation } from './hpa-algorithm';
import type { SustainedOutcome } from './state';
import type { RuleOutcome } from './threshold-rules';

export interface AppliedConstraint {
  name:
    | 'tolerance'
    | 'stabilization'
    | 'policy-limit'
    | 'schedule-cap'
    | 'schedule-floor'
    | 'max-step'
    | 'bounds'
    | 'plan-claim';
  before: number;
  after: number;
  detail: string;
}

export type Trigger = DecisionExplanation['trigger'];

const round = (value: number) => Math.round(value * 1000) / 1000;

export function explainMetric(
  rec: MetricRecommendation,
  stalenessSeconds: number,
): DecisionExplanation['metrics'][number] {
  let note: string;
  if (rec.missing) {
    note = rec.sampleTime === null ? 'missing: no sample yet' : `missing: no sample for more than ${stalenessSeconds}s`;
  } else {
    note = `usage ratio ${round(rec.usageRatio!)}${rec.withinTolerance ? ', within tolerance: keep' : `: asks for ${rec.untolerated}`}`;
    if (rec.sustained) note += `; ${describeSustained(rec.sustained)}`;
  }
  if (rec.windowSeconds !== undefined && !rec.missing) note = `${rec.windowSeconds}s average; ${note}`;
  return {
    metric: rec.metric,
    value: rec.value,
    target: rec.target,
    targetType: rec.type,
    windowSeconds: stalenessSeconds,
    recommendation: rec.recommendation,
    note,
  };
}

/** A `for` metric's hold, as the runbook says it: "above its target for 120s of 300s". */
function describeSustained(held: SustainedOutcome): string {
  const span = `${held.direction} its target for ${round(held.heldSeconds)}s of ${held.forSeconds}s`;
  return held.due ? `${span}: due` : `${span}: holding, keep`;
}

export function explainRule(outcome: RuleOutcome): DecisionExplanation['rules'][number] {
  return { name: outcome.name, fired: outcome.fired, heldSeconds: outcome.heldSeconds, detail: outcome.detail };
}

/** One line a person reads first: what changed, why, and what held it back. */
export function summarize(
  policy: ScalingPolicy,
  from: number,
  to: number,
  recommendedBy: string,
  raw: number,
  constraints: AppliedConstraint[],
): string {
  const binding = constraints
    .filter((c) => c.before !== c.after && c.name !== 'tolerance')
    .map((c) => `${c.name} ${c.before}→${c.after}`);
  const limited = binding.length ? `; ${binding.join(', ')}` : '';
  return `${policy.setting} ${from} → ${to}: ${recommendedBy} asked for ${raw}${limited}`;
}

export function buildExplanation(args: {
  policy: ScalingPolicy;
  from: number;
  to: number;
  trigger: Trigger;
  winner: string;
  /** Where the raw recommendation came from; differs from the winner when a schedule's floor or cap decides. */
  recommendedBy: string;
  raw: number;
  metrics: DecisionExplanation['metrics'];
  rules: DecisionExplanation['rules'];
  constraints: AppliedConstraint[];
}): DecisionExplanation {
  return {
    summary: summarize(args.policy, args.from, args.to, args.recommendedBy, args.raw, args.constraints),
    trigger: args.trigger,
    metrics: args.metrics,
    rules: args.rules,
    constraints: args.constraints,
    rawRecommendation: args.raw,
    final: args.to,
    winner: args.winner,
  };
}

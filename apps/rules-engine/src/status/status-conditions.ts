import type { ScaleDecision, ScaleExplanation, StatusCondition } from '@surge/contracts';
import type { EvaluationResult, MetricRecommendation } from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';

/** What the conditions are read from: one read-only evaluation and the metrics' recommendations at its clock. */
export interface ConditionInput {
  policy: ScalingPolicy;
  current: number | null;
  globalPause: boolean;
  result: EvaluationResult;
  metrics: readonly MetricRecommendation[];
}

type Condition = Omit<StatusCondition, 'type'>;
type Constraint = ScaleDecision['explanation']['constraints'][number];

const yes = (reason: string, message: string): Condition => ({ status: 'True', reason, message });
const no = (reason: string, message: string): Condition => ({ status: 'False', reason, message });

/** AbleToScale, ScalingActive and ScalingLimited, in the order `kubectl describe hpa` prints them. */
export function statusConditions(input: ConditionInput): StatusCondition[] {
  return [
    { type: 'AbleToScale', ...ableToScale(input) },
    { type: 'ScalingActive', ...scalingActive(input) },
    { type: 'ScalingLimited', ...scalingLimited(input) },
  ];
}

/** Surge's own reasons first (a pause or a dry-run stops actuation whatever the metrics say), then HPA's. */
function ableToScale({ policy, current, globalPause, result }: ConditionInput): Condition {
  const decision = result.decisions[0];
  if (current === null)
    return no(
      'FailedGetScale',
      `the current ${policy.setting} of ${policy.target.id} is unknown: no executor reported it`,
    );
  if (globalPause) return no('GloballyPaused', 'every policy is paused: no decision is published');
  if (policy.paused) return no('Paused', `policy ${policy.name} is paused: no decision is published`);
  if (policy.dryRun)
    return no('DryRun', `policy ${policy.name} runs dry: decisions are published, no executor applies them`);
  const stabilized = stabilizedDirection(decision, result.explanations, current);
  if (stabilized === 'down')
    return yes(
      'ScaleDownStabilized',
      'recent recommendations were higher than current one, applying the highest recent recommendation',
    );
  if (stabilized === 'up')
    return yes(
      'ScaleUpStabilized',
      'recent recommendations were lower than current one, applying the lowest recent recommendation',
    );
  if (decision)
    return yes('RescaleRecommended', `an evaluation now would set ${policy.setting} ${decision.from} → ${decision.to}`);
  return yes('ReadyForNewScale', 'recommended size matches current size');
}

/** The direction a stabilization window held back, if one did: fully (no decision) or partly (a smaller one). */
function stabilizedDirection(
  decision: ScaleDecision | undefined,
  explanations: readonly ScaleExplanation[],
  current: number,
): 'up' | 'down' | undefined {
  const held = decision?.explanation.constraints.find((c) => c.name === 'stabilization' && c.before !== c.after);
  if (held) return held.before < held.after ? 'down' : 'up';
  const explained = explanations.find((e) => e.reason === 'stabilized');
  if (explained) return explained.wanted < current ? 'down' : 'up';
  return undefined;
}

/**
 * HPA's rule (computeReplicasForMetrics): with every metric missing, or some missing on the way down, nothing
 * is computed and the condition names the missing metrics; otherwise the value comes from the valid ones.
 */
function scalingActive({ policy, current, result, metrics }: ConditionInput): Condition {
  if (current === null)
    return { status: 'Unknown', reason: 'FailedGetScale', message: 'no current value to compute from' };
  if (result.skipped?.startsWith('scaled to zero'))
    return no('ScalingDisabled', `scaling is disabled since the ${policy.setting} of the target is zero`);
  if (metrics.length === 0) return yes('RulesOnly', 'no metrics: the policy scales by its rules and schedules');
  const missing = metrics.filter((m) => m.missing);
  const valid = metrics.filter((m) => !m.missing).map((m) => `${m.metric} (${m.type})`);
  const missingText = missing.map(missingNote(policy)).join('; ');
  if (missing.length === metrics.length) return no('FailedGetMetric', missingText);
  if (result.skipped?.startsWith('scale-down skipped'))
    return no('FailedGetMetric', `scale-down skipped while a metric is missing: ${missingText}`);
  const also = missing.length ? `; ${missingText}` : '';
  return yes('ValidMetricFound', `Surge was able to compute ${policy.setting} from ${valid.join(', ')}${also}`);
}

const missingNote = (policy: ScalingPolicy) => (metric: MetricRecommendation) =>
  metric.sampleTime === null
    ? `${metric.metric}: no sample yet`
    : `${metric.metric}: no sample for more than ${policy.metricStalenessSeconds}s`;

/** The constraints that may hold a change back, as HPA's ScalingLimited tells (stabilization is AbleToScale's). */
const changeOf = (c: Constraint) => `${c.name} ${c.before}→${c.after}`;

const LIMITS = new Set<Constraint['name']>(['policy-limit', 'schedule-floor', 'max-step', 'bounds']);

function scalingLimited({ policy, result }: ConditionInput): Condition {
  const decision = result.decisions[0];
  // The last one to move the value explains the number decided, as the core's explanations do (non-decision.ts).
  const binding = decision?.explanation.constraints.filter((c) => LIMITS.has(c.name) && c.before !== c.after).at(-1);
  if (binding)
    return limitOf(policy, binding.name, binding.before > binding.after, binding.detail ?? changeOf(binding));
  const explained = result.explanations.find((e) => e.reason !== 'stabilized' && !e.reason.endsWith('paused'));
  if (explained) {
    const up = explained.wanted > explained.current;
    const name = explanationLimit[explained.reason as keyof typeof explanationLimit];
    if (name) return limitOf(policy, name, up, explained.summary);
  }
  return no('DesiredWithinRange', 'the desired count is within the acceptable range');
}

const explanationLimit = {
  'at-max': 'bounds',
  'at-min': 'bounds',
  'rate-limited': 'policy-limit',
  'max-step': 'max-step',
  schedule: 'schedule-floor',
} as const;

function limitOf(policy: ScalingPolicy, name: Constraint['name'], up: boolean, detail: string): Condition {
  switch (name) {
    case 'bounds':
      return up
        ? yes('TooManyReplicas', `the desired ${policy.setting} is more than the maximum ${policy.max} (${detail})`)
        : yes('TooFewReplicas', `the desired ${policy.setting} is less than the minimum ${policy.min} (${detail})`);
    case 'policy-limit':
      return up
        ? yes(
            'ScaleUpLimit',
            `the desired ${policy.setting} is increasing faster than the maximum scale rate (${detail})`,
          )
        : yes(
            'ScaleDownLimit',
            `the desired ${policy.setting} is decreasing faster than the maximum scale rate (${detail})`,
          );
    case 'max-step':
      return yes('MaxStepLimit', `the change is capped by maxStep ${policy.maxStep} (${detail})`);
    default:
      return yes('ScheduleFloor', detail);
  }
}

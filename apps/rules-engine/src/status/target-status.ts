import {
  type MetricStatus,
  type PlanStatus,
  type RuleStatus,
  TARGET_STATUS_SCHEMA_VERSION,
  type TargetStatus,
  type TargetStatusLine,
} from '@surge/contracts';
import {
  evaluate,
  type EvaluationResult,
  type MetricRecommendation,
  metricsRead,
  recommendForMetric,
  type TargetState,
  withReadSamplesOnly,
} from '@surge/decision-core';
import type { RuleAction, ScalingPolicy } from '@surge/policy';
import { approvalStatusOf } from './approval-status';
import { statusConditions } from './status-conditions';

export interface StatusInput {
  /** The policy in force: the file's, under the operator's controls. */
  policy: ScalingPolicy;
  /** The stored state with the target's latest observation folded in, as the next evaluation would load it. */
  state: TargetState;
  /** The engine's clock. */
  now: number;
  globalPause: boolean;
}

/**
 * A target's status, as `kubectl describe hpa` tells an autoscaler's: the evaluation the engine would run now,
 * without samples, computed by the same pure core and then thrown away, so reading it changes nothing.
 */
export function buildTargetStatus(input: StatusInput): TargetStatus {
  const { policy, globalPause } = input;
  const read = withReadSamplesOnly(input.state, metricsRead(policy), policy.setting);
  // The engine tells a metric's shortfall once per change of its reason; a preview tells it every time.
  const { metricShortfall: _told, ...state } = read;
  // Event time rules the core: a clock behind the last evaluation (a source a little ahead) must not rewind it.
  const now = Math.max(input.now, state.lastEvaluatedAt ?? 0);
  const result = evaluate({ policy, state, now, globalPause });
  const current = state.current;
  const metrics = policy.metrics.map((metric) =>
    recommendForMetric(
      metric,
      state.samples[metric.metric],
      current ?? 0,
      now,
      policy.metricStalenessSeconds,
      policy.behavior,
    ),
  );
  // The pipeline's own decision: a plan step's is shown with its run.
  const decision = result.decisions.find((d) => !d.plan);
  return {
    schemaVersion: TARGET_STATUS_SCHEMA_VERSION,
    target: { kind: policy.target.kind, id: policy.target.id },
    policy: {
      name: policy.name,
      version: policy.version,
      ...(policy.source === undefined ? {} : { source: policy.source }),
      setting: policy.setting,
      min: policy.min,
      max: policy.max,
      paused: policy.paused,
      dryRun: policy.dryRun,
    },
    globalPause,
    evaluatedAt: now,
    lastEvaluatedAt: state.lastEvaluatedAt,
    lastScaleTime: state.lastScaleTime,
    current,
    desired: decision?.to ?? current,
    summary: summaryOf(policy, current, result),
    metrics: metrics.map((metric) => metricStatusOf(metric, current)),
    rules: rulesOf(policy, state, result),
    conditions: statusConditions({ policy, current, globalPause, result, metrics }),
    constraints: (decision?.explanation.constraints ?? []).map((c) => ({ ...c, detail: c.detail ?? '' })),
    plans: plansOf(policy, result.state),
  };
}

/** Each plan rule's latest run, as the evaluation leaves it. */
function plansOf(policy: ScalingPolicy, state: TargetState): PlanStatus[] {
  return policy.rules.flatMap((rule) => {
    const run = state.plans?.[rule.name];
    if (!rule.plan || !run) return [];
    return [
      {
        rule: rule.name,
        runId: run.runId,
        phase: run.phase,
        startedAt: run.startedAt,
        clearedSince: run.clearedSince ?? null,
        reason: run.reason ?? null,
        steps: run.steps.map((step, index) => {
          // A run of an earlier shape of the plan may have a step the plan no longer has.
          const spec = rule.plan!.steps[index];
          return {
            name: spec?.name ?? `step-${index} (removed)`,
            target: spec ? { kind: spec.target.kind, id: spec.target.id } : policy.target,
            setting: spec?.setting ?? policy.setting,
            status: step.status,
            before: step.before ?? null,
            to: step.to ?? null,
            holds: step.holds ?? null,
            outcome: step.outcome ?? null,
            ...(step.approval ? { approval: approvalStatusOf(step.approval, spec?.approval) } : {}),
          };
        }),
      },
    ];
  });
}

function summaryOf(policy: ScalingPolicy, current: number | null, result: EvaluationResult): string {
  const decision = result.decisions.find((d) => !d.plan) ?? result.decisions[0];
  if (decision) return `would decide ${decision.explanation.summary}`;
  const explained = result.explanations[0];
  if (explained) return explained.summary;
  if (result.skipped) return `no change: ${result.skipped}`;
  return `${policy.setting} stays at ${current}`;
}

function metricStatusOf(rec: MetricRecommendation, current: number | null): MetricStatus {
  const known = current !== null && !rec.missing;
  return {
    metric: rec.metric,
    targetType: rec.type,
    target: rec.target,
    value: rec.value,
    sampledAt: rec.sampleTime,
    missing: rec.missing,
    recommendation: known ? rec.recommendation : null,
    note: rec.missing
      ? rec.sampleTime === null
        ? 'missing: no sample yet'
        : 'missing: no fresh sample'
      : current === null
        ? 'current value unknown'
        : `usage ratio ${Math.round(rec.usageRatio! * 1000) / 1000}${rec.withinTolerance ? ', within tolerance: keep' : `: asks for ${rec.untolerated}`}`,
  };
}

/** The rules as this evaluation leaves them; before any current value is known, as stored. */
function rulesOf(policy: ScalingPolicy, stored: TargetState, result: EvaluationResult): RuleStatus[] {
  return policy.rules.map((rule) => {
    const outcome = result.rules.find((r) => r.name === rule.name);
    const state = result.state.rules[rule.name] ?? stored.rules[rule.name];
    const holdingSince = state?.holdingSince ?? null;
    return {
      name: rule.name,
      severity: rule.severity,
      action: rule.action ? actionText(rule.action) : rule.plan ? `plan of ${rule.plan.steps.length} steps` : null,
      paused: rule.paused,
      holding: outcome?.holds ?? holdingSince !== null,
      holdingSince,
      heldSeconds: outcome?.heldSeconds ?? 0,
      forSeconds: rule.forSeconds,
      fired: outcome?.fired ?? false,
      lastFiredAt: state?.lastFiredAt ?? null,
      asks: outcome?.target ?? state?.target ?? null,
      detail: outcome?.detail ?? 'not evaluated: current value unknown',
    };
  });
}

function actionText(action: RuleAction): string {
  if (action.kind === 'scaleTo') return `scaleTo ${action.value}`;
  const sign = action.amount >= 0 ? '+' : '';
  return `scaleBy ${sign}${action.amount}${action.mode === 'percent' ? '%' : ''}`;
}

/** `kubectl get hpa`'s one line: the condition that says most, and each metric as value/target. */
export function statusLine(status: TargetStatus): TargetStatusLine {
  const [able, active, limited] = status.conditions;
  const firstFalse = [able, active].find((c) => c && c.status !== 'True');
  const reason = firstFalse?.reason ?? (limited?.status === 'True' ? limited.reason : (able?.reason ?? 'Unknown'));
  const targets = status.metrics
    .map((m) => {
      const unit = m.targetType === 'Utilization' ? '%' : '';
      const value = m.value === null || m.missing ? '<unknown>' : `${m.value}${unit}`;
      return `${m.metric}: ${value}/${m.target}${unit}`;
    })
    .join(', ');
  return {
    target: status.target,
    policy: status.policy.name,
    setting: status.policy.setting,
    min: status.policy.min,
    max: status.policy.max,
    current: status.current,
    desired: status.desired,
    targets: targets || '<none>',
    reason,
  };
}

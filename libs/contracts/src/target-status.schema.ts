import { z } from 'zod';
import { finiteNumber, targetRef } from './common.schema';

export const TARGET_STATUS_SCHEMA_VERSION = 1;

const epochMs = z.number().int().nonnegative();

/**
 * The conditions `kubectl describe hpa` shows, with HPA's meanings: AbleToScale (nothing transient stops a
 * change), ScalingActive (a value can be computed from the metrics), ScalingLimited (bounds or a rate held the
 * desired value back).
 */
export const statusConditionType = z.enum(['AbleToScale', 'ScalingActive', 'ScalingLimited']);

export const statusCondition = z.object({
  type: statusConditionType,
  status: z.enum(['True', 'False', 'Unknown']),
  /** HPA's reason where one fits (ScaleDownStabilized, TooManyReplicas, ValidMetricFound…), Surge's own otherwise. */
  reason: z.string().min(1),
  message: z.string(),
});
export type StatusCondition = z.output<typeof statusCondition>;

export const metricStatus = z.object({
  metric: z.string().min(1),
  targetType: z.enum(['Utilization', 'Value', 'AverageValue']),
  target: finiteNumber,
  /** The latest sample, or null when none was ever received. */
  value: finiteNumber.nullable(),
  sampledAt: epochMs.nullable(),
  /** No sample within the policy's metricStaleness. */
  missing: z.boolean(),
  /** What the metric recommends now (the current value while within tolerance); null while missing. */
  recommendation: finiteNumber.nullable(),
  note: z.string(),
});
export type MetricStatus = z.output<typeof metricStatus>;

export const ruleStatus = z.object({
  name: z.string().min(1),
  severity: z.string().min(1),
  /** The action as written (`scaleBy +50%`, `scaleTo 10`), or null for a rule that only notifies. */
  action: z.string().nullable(),
  paused: z.boolean(),
  holding: z.boolean(),
  holdingSince: epochMs.nullable(),
  heldSeconds: z.number().nonnegative(),
  forSeconds: z.number().nonnegative(),
  /** Fires at this evaluation (its `for` just completed). */
  fired: z.boolean(),
  lastFiredAt: epochMs.nullable(),
  /** The value it stands for while its breach lasts, or null. */
  asks: finiteNumber.nullable(),
  detail: z.string(),
});
export type RuleStatus = z.output<typeof ruleStatus>;

export const statusConstraint = z.object({
  name: z.string().min(1),
  before: finiteNumber,
  after: finiteNumber,
  detail: z.string(),
});

export const statusPolicy = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  source: z.string().optional(),
  setting: z.string().min(1),
  min: finiteNumber,
  max: finiteNumber,
  /** As in force: the file's flags under the operator's controls. */
  paused: z.boolean(),
  dryRun: z.boolean(),
});

/** One step of a plan run, as the run records it (libs/decision-core plan-state.ts). */
export const planStepStatus = z.object({
  name: z.string().min(1),
  target: targetRef,
  setting: z.string().min(1),
  status: z.enum(['pending', 'awaiting-approval', 'decided', 'succeeded', 'failed', 'skipped']),
  before: finiteNumber.nullable(),
  to: finiteNumber.nullable(),
  /** The value the run holds the setting at now, while it holds it. */
  holds: finiteNumber.nullable(),
  outcome: z.string().nullable(),
  /** The step's request for an operator's approval, and its answer once given: absent for a step that never asked. */
  approval: z
    .object({
      requestedAt: epochMs,
      deadline: epochMs,
      onTimeout: z.enum(['skip', 'apply']),
      added: finiteNumber,
      cost: finiteNumber.nullable(),
      currency: z.string().nullable(),
      why: z.string(),
      answer: z
        .object({
          verdict: z.enum(['approved', 'rejected', 'timed-out', 'withdrawn']),
          at: epochMs,
          by: z.string().nullable(),
          reason: z.string().nullable(),
        })
        .nullable(),
    })
    .optional(),
});

/** A plan rule's latest run: one unit with its steps. */
export const planStatus = z.object({
  rule: z.string().min(1),
  runId: z.string().min(1),
  phase: z.enum(['applying', 'applied', 'stopped', 'reverting', 'done']),
  startedAt: epochMs,
  clearedSince: epochMs.nullable(),
  reason: z.string().nullable(),
  steps: z.array(planStepStatus),
});
export type PlanStatus = z.output<typeof planStatus>;

/**
 * `GET /status/:target` of the rules engine: a read-only preview of the next evaluation at `evaluatedAt`, from
 * the stored state; nothing is stored or published by reading it.
 */
export const targetStatus = z.object({
  schemaVersion: z.literal(TARGET_STATUS_SCHEMA_VERSION),
  target: targetRef,
  policy: statusPolicy,
  globalPause: z.boolean(),
  /** The preview's clock: the engine's clock, or the last evaluation's event time when that is ahead. */
  evaluatedAt: epochMs,
  lastEvaluatedAt: epochMs.nullable(),
  lastScaleTime: epochMs.nullable(),
  /** The observed value of the setting, or null while no executor reported it. */
  current: finiteNumber.nullable(),
  /** What an evaluation now would set; the current value when it would change nothing. */
  desired: finiteNumber.nullable(),
  /** One line: the would-be decision's summary, or why nothing would be decided. */
  summary: z.string(),
  metrics: z.array(metricStatus),
  rules: z.array(ruleStatus),
  conditions: z.array(statusCondition),
  /** The would-be decision's constraints, in the order applied; empty when nothing would be decided. */
  constraints: z.array(statusConstraint),
  /** Each plan rule's latest run; empty for a policy without plans. */
  plans: z.array(planStatus).default([]),
});
export type TargetStatus = z.output<typeof targetStatus>;

/** One line of `GET /status`, as `kubectl get hpa` prints one per autoscaler. */
export const targetStatusLine = z.object({
  target: targetRef,
  policy: z.string().min(1),
  setting: z.string().min(1),
  min: finiteNumber,
  max: finiteNumber,
  current: finiteNumber.nullable(),
  desired: finiteNumber.nullable(),
  /** `metric: value/target` for each metric, `<unknown>` for a missing value, as HPA's TARGETS column. */
  targets: z.string(),
  /** The condition that says most: the first False one, else ScalingLimited's reason when True, else ReadyForNewScale. */
  reason: z.string().min(1),
});
export type TargetStatusLine = z.output<typeof targetStatusLine>;

export const targetStatusList = z.object({
  schemaVersion: z.literal(TARGET_STATUS_SCHEMA_VERSION),
  globalPause: z.boolean(),
  targets: z.array(targetStatusLine),
});
export type TargetStatusList = z.output<typeof targetStatusList>;

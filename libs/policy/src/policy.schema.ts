import { z } from 'zod';
import { parseCondition } from './condition.schema';
import { durationSeconds } from './duration.schema';
import { planSpec, recoverySpec, SCALE_BY, targetSpec, verifySpec } from './plan.schema';
import { RULE_SEVERITIES } from './severity';

export const POLICY_API_VERSION = 'surge.dev/v1';

const nonNegative = z.number().nonnegative();
const metricName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a metric name ([a-zA-Z_][a-zA-Z0-9_]*)');

/** Kept as written: the order between vocabularies is severity.ts's. */
export const ruleSeverity = z.enum(RULE_SEVERITIES);

const metricTargetSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Utilization'), averageUtilization: z.number().positive() }),
  z.strictObject({ type: z.literal('Value'), value: z.number().positive() }),
  z.strictObject({ type: z.literal('AverageValue'), averageValue: z.number().positive() }),
]);

// `for` and `window` are Surge's, not HPA's: both optional, so a metric without them is HPA's as it was.
const metricSpec = z.strictObject({
  metric: metricName,
  target: metricTargetSpec,
  for: durationSeconds.optional(),
  window: durationSeconds.optional(),
});

const action = z.union(
  [
    z.strictObject({
      scaleBy: z.union([z.string().regex(SCALE_BY, 'must look like "+50%", "+2" or "-1"'), z.number()]),
    }),
    z.strictObject({ scaleTo: nonNegative }),
  ],
  { error: 'must be {scaleBy: "+50%" | "+2" | "-1"} or {scaleTo: <number>}' },
);

const rule = z.strictObject({
  name: z.string().min(1),
  when: z.record(z.string(), z.unknown()),
  for: durationSeconds.optional(),
  severity: ruleSeverity.default('warning'),
  // No action: the rule only notifies. With one, `notify: true` makes it page as well (see normalizeRule).
  action: action.optional(),
  plan: planSpec.optional(),
  recovery: recoverySpec.optional(),
  verify: verifySpec.optional(),
  notify: z.boolean().optional(),
  paused: z.boolean().default(false),
});

const ratePolicy = z.strictObject({
  type: z.enum(['Pods', 'Percent']),
  value: z.number().int().positive(),
  periodSeconds: z.number().int().positive().max(1800),
});

const scalingRules = z.strictObject({
  stabilizationWindowSeconds: z.number().int().nonnegative().max(3600).optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
  policies: z.array(ratePolicy).min(1).optional(),
  // As the autoscaling/v2 API: any tolerance >= 0. Above 1 a scale-down never happens (1 - tolerance <= every
  // ratio), which some users want for a direction; the API does not forbid it, so neither does Surge.
  tolerance: z.number().nonnegative().optional(),
});

/**
 * A window that replaces the policy's bounds while it is active: repeating (`cron` + `duration`) or one-off
 * (`from` + `to`, ISO-8601, local to `timezone` unless they carry an offset). Which form, and that a floor or a
 * cap is given, is checked in normalizeSchedule, where the error can name the field.
 */
const schedule = z.strictObject({
  name: z.string().min(1).optional(),
  cron: z.string().min(1).optional(),
  duration: durationSeconds.optional(),
  from: z.string().min(1).optional(),
  to: z.string().min(1).optional(),
  timezone: z.string().min(1).default('UTC'),
  minReplicas: nonNegative.optional(),
  min: nonNegative.optional(),
  maxReplicas: z.number().positive().optional(),
  max: z.number().positive().optional(),
});

export const policySpec = z.strictObject({
  target: targetSpec,
  metricsFrom: z.array(z.string().min(1).max(253)).default([]),
  setting: z.string().min(1).default('replicas'),
  minReplicas: z.number().int().nonnegative().optional(),
  maxReplicas: z.number().int().positive().optional(),
  min: nonNegative.optional(),
  max: z.number().positive().optional(),
  step: z.number().positive().optional(),
  metrics: z.array(metricSpec).default([]),
  rules: z.array(rule).default([]),
  behavior: z.strictObject({ scaleUp: scalingRules.optional(), scaleDown: scalingRules.optional() }).optional(),
  schedules: z.array(schedule).default([]),
  maxStep: z.number().positive().optional(),
  metricStaleness: durationSeconds.default(120),
  paused: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});

export const policyDocument = z.strictObject({
  apiVersion: z.literal(POLICY_API_VERSION, { error: `must be ${POLICY_API_VERSION}` }),
  kind: z.literal('ScalingPolicy', { error: 'must be ScalingPolicy' }),
  metadata: z.object({ name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a DNS-style name') }),
  spec: policySpec,
});
export type PolicySpec = z.output<typeof policySpec>;

export { durationSeconds, parseCondition, SCALE_BY };

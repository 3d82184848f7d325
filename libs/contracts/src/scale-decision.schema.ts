import { z } from 'zod';
import { planRef } from './plan-ref.schema';
import { finiteNumber, severity, targetRef } from './common.schema';

export const SCALE_DECISION_SCHEMA_VERSION = 1;

/** One constraint the decision core applied, in the order applied: what it was, and the value before and after. */
export const appliedConstraint = z.object({
  name: z.string(),
  before: finiteNumber,
  after: finiteNumber,
  detail: z.string().optional(),
});

export const metricRecommendation = z.object({
  metric: z.string(),
  value: finiteNumber.nullable(),
  target: finiteNumber.optional(),
  targetType: z.string().optional(),
  windowSeconds: z.number().optional(),
  recommendation: finiteNumber.nullable(),
  note: z.string().optional(),
});

export const decisionExplanation = z.object({
  summary: z.string(),
  trigger: z.object({ kind: z.enum(['metric', 'rule', 'schedule', 'control']), name: z.string() }),
  metrics: z.array(metricRecommendation).default([]),
  rules: z
    .array(
      z.object({
        name: z.string(),
        fired: z.boolean(),
        heldSeconds: z.number().optional(),
        detail: z.string().optional(),
      }),
    )
    .default([]),
  constraints: z.array(appliedConstraint).default([]),
  rawRecommendation: finiteNumber.optional(),
  final: finiteNumber,
  winner: z.string(),
});
export type DecisionExplanation = z.output<typeof decisionExplanation>;

export const scaleDecision = z.object({
  schemaVersion: z.literal(SCALE_DECISION_SCHEMA_VERSION),
  decisionId: z.string().min(8),
  target: targetRef,
  /** The one named value the decision sets: replicas, default_pool_size, maxmemory, maxActive, … */
  setting: z.string().min(1),
  from: finiteNumber,
  to: finiteNumber,
  direction: z.enum(['up', 'down']),
  /** Coarse, for consumers of the three levels: derived from the rule's rank (libs/policy severity.ts). */
  severity,
  /**
   * The winning rule's severity as the policy wrote it (`P1`, `SEV-2`, …); absent when no rule decided. Optional,
   * so decisions of version 1 written before it stay valid and consumers that ignore it are unaffected.
   */
  ruleSeverity: z.string().min(1).max(64).optional(),
  dryRun: z.boolean(),
  policy: z.string().min(1),
  policyVersion: z.string().min(1),
  /** Epoch ms of the sample that triggered the evaluation: the core's clock, never the wall clock. */
  eventTime: z.number().int().nonnegative(),
  explanation: decisionExplanation,
  /** Set when the decision is a step of a plan run (or of its revert): see plan-ref.schema.ts. */
  plan: planRef.optional(),
});
export type ScaleDecision = z.output<typeof scaleDecision>;
export type ScaleDecisionInput = z.input<typeof scaleDecision>;

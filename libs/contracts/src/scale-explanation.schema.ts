import { z } from 'zod';
import { finiteNumber, targetRef } from './common.schema';

export const SCALE_EXPLANATION_SCHEMA_VERSION = 1;

/**
 * Why an evaluation decided nothing, or less than a rule or a metric asked: the constraint that set the final value
 * (the last one to hold it back, in the order the core applies them).
 */
export const explanationReason = z.enum([
  'at-max',
  'at-min',
  'rate-limited',
  'stabilized',
  'paused',
  'globally-paused',
  'schedule',
  'max-step',
]);
export type ExplanationReason = z.output<typeof explanationReason>;

/**
 * One explanation on `surge.scale.explanations`: a record of a scaling that did not happen (or not fully), which
 * no decision would otherwise leave. `explanationId` is deterministic (target, policy version, trigger, event
 * time), so an outbox replay repeats it.
 */
export const scaleExplanation = z.object({
  schemaVersion: z.literal(SCALE_EXPLANATION_SCHEMA_VERSION),
  explanationId: z.string().min(8),
  target: targetRef,
  setting: z.string().min(1),
  policy: z.string().min(1),
  policyVersion: z.string().min(1),
  trigger: z.object({ kind: z.enum(['rule', 'metric']), name: z.string().min(1) }),
  /** The value the rule or metric asked for. */
  wanted: finiteNumber,
  current: finiteNumber,
  /** The value decided, or the current value when nothing was. */
  decided: finiteNumber,
  reason: explanationReason,
  /** One line for a person: "wanted 15 by rule p1-degradation, capped at maxReplicas 10". */
  summary: z.string().min(1),
  /** The evaluation's clock, never the wall clock. */
  eventTime: z.number().int().nonnegative(),
});
export type ScaleExplanation = z.output<typeof scaleExplanation>;
export type ScaleExplanationInput = z.input<typeof scaleExplanation>;

import { z } from 'zod';
import { durationSeconds } from './duration.schema';

const SCALE_BY = /^([+-])(\d+(?:\.\d+)?)(%?)$/;
/** Longest plan: a runbook step with more than this many moves is several rules. */
export const MAX_PLAN_STEPS = 20;

const BY = /^(\d+(?:\.\d+)?)(%?)$/;

export const targetSpec = z.strictObject({
  id: z.string().min(1).max(253),
  kind: z.string().min(1),
  namespace: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
});

/** A number, or a named value of the step's setting (`mode: queue`), resolved in normalizePlan. */
const stepValue = z.union([z.number().nonnegative(), z.string().min(1)]);

const planStep = z
  .strictObject({
    name: z.string().min(1).optional(),
    target: targetSpec.optional(),
    setting: z.string().min(1).optional(),
    scaleBy: z.union([z.string().regex(SCALE_BY, 'must look like "+50%", "+2" or "-1"'), z.number()]).optional(),
    scaleTo: stepValue.optional(),
    after: durationSeconds.optional(),
    /** Tell people when the step has its result ("post to #incidents after scaling"). */
    notify: z.boolean().optional(),
  })
  .refine((step) => (step.scaleBy === undefined) !== (step.scaleTo === undefined), {
    error: 'needs scaleBy or scaleTo, not both',
  });

export const planSpec = z.strictObject({
  onStepFailure: z.enum(['stop', 'continue']).default('stop'),
  /** How long a step waits for its result before it counts as failed: an executor that never answers. */
  resultTimeout: durationSeconds.default(300),
  steps: z.array(planStep).min(1).max(MAX_PLAN_STEPS),
});

export const recoverySpec = z.strictObject({
  after: durationSeconds,
  every: durationSeconds.optional(),
  by: z.union([z.string().regex(BY, 'must look like "50%" or "2"'), z.number().positive()]).optional(),
  through: z.array(stepValue).min(1).optional(),
  to: stepValue.optional(),
});

/** A plan's check of its own work: `expr` must hold `within` after the last step, else `onFailure`. */
export const verifySpec = z.strictObject({
  within: durationSeconds,
  expr: z.string().min(1),
  onFailure: z.enum(['rollback', 'notify', 'continue']).default('rollback'),
});

export type VerifySpec = z.output<typeof verifySpec>;
export type PlanSpec = z.output<typeof planSpec>;
export type RecoverySpec = z.output<typeof recoverySpec>;
export { SCALE_BY };

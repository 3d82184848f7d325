import { z } from 'zod';
import { approvalSpec } from './approval.schema';
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

/** The way back of one setting: `by` of the distance left or `through` listed values, one move per `every`, to `to`. */
const recoveryPath = {
  every: durationSeconds.optional(),
  by: z.union([z.string().regex(BY, 'must look like "50%" or "2"'), z.number().positive()]).optional(),
  through: z.array(stepValue).min(1).optional(),
  to: stepValue.optional(),
};

/** A step's own way back: its setting's values, where the rule's recovery speaks of the policy's setting only. */
export const stepRecoverySpec = z
  .strictObject(recoveryPath)
  .describe(
    "This step's own way back (every, by, through, to; named values are the step setting's). It replaces the " +
      "rule's recovery path for this step only; the rule's recovery.after still says when the revert starts.",
  );

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
    /** Wait for an operator above a size (approval.schema.ts); the plan's own `approval` when absent. */
    approval: approvalSpec.optional(),
    recovery: stepRecoverySpec.optional(),
  })
  .refine((step) => (step.scaleBy === undefined) !== (step.scaleTo === undefined), {
    error: 'needs scaleBy or scaleTo, not both',
  });

export const planSpec = z.strictObject({
  onStepFailure: z.enum(['stop', 'continue']).default('stop'),
  /** How long a step waits for its result before it counts as failed: an executor that never answers. */
  resultTimeout: durationSeconds.default(300),
  /** The approval every step asks for unless it names its own. */
  approval: approvalSpec.optional(),
  steps: z.array(planStep).min(1).max(MAX_PLAN_STEPS),
});

export const recoverySpec = z
  .strictObject({ after: durationSeconds, ...recoveryPath })
  .describe(
    'Undoing the rule once its condition has stayed clear for `after`. In a plan, `by`, `through` and `to` are ' +
      "values of the policy's own setting: they shape the revert of the steps on the policy's own target and " +
      'setting only. A step on another target or setting goes straight back to its value from before, unless it ' +
      'has a recovery of its own (steps[].recovery).',
  );

/** A plan's check of its own work: `expr` must hold `within` after the last step, else `onFailure`. */
export const verifySpec = z.strictObject({
  within: durationSeconds,
  expr: z.string().min(1),
  onFailure: z.enum(['rollback', 'notify', 'continue']).default('rollback'),
});

export type VerifySpec = z.output<typeof verifySpec>;
export type PlanSpec = z.output<typeof planSpec>;
export type RecoverySpec = z.output<typeof recoverySpec>;
export type StepRecoverySpec = z.output<typeof stepRecoverySpec>;
export { SCALE_BY };

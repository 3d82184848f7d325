import { z } from 'zod';

/**
 * Which plan run, step and phase a decision belongs to, and so its action result: executors copy it into the
 * result unchanged, and the rules engine routes that result back to the policy target whose plan it is, where the
 * next step is decided. `phase` tells the plan's steps from their gradual revert.
 */
/**
 * A plan's check of its own work, as judged: the metrics the expression read when the run started (`before`, the
 * `before_` snapshot) and when the check was made (`after`). A metric without a value is absent from its side.
 */
export const planVerification = z.object({
  status: z.enum(['passed', 'failed']),
  expr: z.string().min(1),
  /** Event time of the check. */
  checkedAt: z.number().int().nonnegative(),
  before: z.record(z.string(), z.number()),
  after: z.record(z.string(), z.number()),
});
export type PlanVerification = z.output<typeof planVerification>;

export const planRef = z.object({
  runId: z.string().min(8),
  /** The target id of the policy that runs the plan: the lane its results go back to. */
  policyTarget: z.string().min(1).max(253),
  rule: z.string().min(1),
  step: z.number().int().nonnegative(),
  phase: z.enum(['apply', 'revert']),
  /** The operator who approved the step, when it was too big to take unattended. */
  approvedBy: z.string().min(1).optional(),
  /**
   * The run's verification once judged, on every decision after it (its rollback, its recovery). Optional, so
   * records of version 1 written before it stay valid.
   */
  verification: planVerification.optional(),
});
export type PlanRef = z.output<typeof planRef>;

/** The run an alert of a plan belongs to (a step's result, a verification that failed), with the verdict. */
export const alertPlanRef = planRef
  .pick({ runId: true, policyTarget: true, rule: true, verification: true })
  .extend({ step: z.number().int().nonnegative().optional() });

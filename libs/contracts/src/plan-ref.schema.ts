import { z } from 'zod';

/**
 * Which plan run, step and phase a decision belongs to, and so its action result: executors copy it into the
 * result unchanged, and the rules engine routes that result back to the policy target whose plan it is, where the
 * next step is decided. `phase` tells the plan's steps from their gradual revert.
 */
export const planRef = z.object({
  runId: z.string().min(8),
  /** The target id of the policy that runs the plan: the lane its results go back to. */
  policyTarget: z.string().min(1).max(253),
  rule: z.string().min(1),
  step: z.number().int().nonnegative(),
  phase: z.enum(['apply', 'revert']),
});
export type PlanRef = z.output<typeof planRef>;

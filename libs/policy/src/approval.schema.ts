import { z } from 'zod';
import { durationSeconds } from './duration.schema';

/**
 * A step too big to take unattended: it waits for an operator's approval in the console. `replicas` is the
 * units the step adds; `cost` is the step's estimated cost from the targets file's cost model (units added x
 * perUnitHour x horizonHours). Either one exceeded asks; `onTimeout` says what happens when nobody answers.
 */
export const approvalSpec = z.strictObject({
  above: z
    .strictObject({
      replicas: z.number().nonnegative().optional(),
      cost: z.number().nonnegative().optional(),
    })
    .refine((above) => above.replicas !== undefined || above.cost !== undefined, {
      error: 'needs replicas, cost or both: the size above which a step waits',
    }),
  timeout: durationSeconds,
  onTimeout: z.enum(['skip', 'apply']),
});

export type ApprovalSpec = z.output<typeof approvalSpec>;

import { z } from 'zod';

/**
 * What one more unit of a setting costs (a replica, a pool connection): `perUnitHour` in `currency` for each hour
 * the unit runs, counted over `horizonHours`. A plan step's estimated cost is units added x perUnitHour x
 * horizonHours, the number a plan's `approval.above.cost` compares: with a horizon of 730 hours it is the
 * monthly cost that runbooks ask approval for ("cost > $10k/month").
 */
export const costModelSchema = z.strictObject({
  perUnitHour: z.number().nonnegative(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .default('USD'),
  horizonHours: z.number().positive(),
});
export type CostModel = z.output<typeof costModelSchema>;

/** One model for every setting of a target, or one per setting name (`replicas`, `default_pool_size`, …). */
export const targetCostSchema = z.union([costModelSchema, z.record(z.string().min(1), costModelSchema)]);
export type TargetCost = z.output<typeof targetCostSchema>;

/**
 * The part of the targets file the rules engine reads: each target's cost model. The executors validate the
 * file whole (targets-file.schema.ts in executor-core); the engine keeps to the costs it needs for approvals.
 */
export const targetCostsFileSchema = z.object({
  targets: z.array(z.object({ id: z.string().min(1), kind: z.string().min(1), cost: targetCostSchema.optional() })),
});

/** The cost model of one setting of a target, if the targets file gives one. */
export function costModelOf(cost: TargetCost | undefined, setting: string): CostModel | undefined {
  if (!cost) return undefined;
  if (typeof (cost as CostModel).perUnitHour === 'number') return cost as CostModel;
  return (cost as Record<string, CostModel>)[setting];
}

import { z } from 'zod';

const boundsSchema = z
  .object({ min: z.number().finite(), max: z.number().finite() })
  .refine((b) => b.min <= b.max, 'min must not exceed max');

/** Credentials never travel in a decision: a target names where they live, an env variable or a mounted secret file. */
const connectionSchema = z.union([
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ secretFile: z.string().min(1) }).strict(),
]);

export const targetEntrySchema = z
  .object({
    id: z.string().min(1).max(253),
    kind: z.string().min(1),
    connection: connectionSchema.optional(),
    /** One {min,max} for every setting, or one per setting name (`replicas`, `default_pool_size`, …). */
    bounds: z.union([boundsSchema, z.record(z.string(), boundsSchema)]),
    allowed: z.boolean().default(true),
    onOutOfBounds: z.enum(['clamp', 'reject']).default('clamp'),
    /** Kubernetes only: act even though an HPA or KEDA ScaledObject scales the same workload. */
    allowHpaConflict: z.boolean().default(false),
    /** Adapter-specific options (a PgBouncer ini path, a Redis memory margin, …). */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const targetsFileSchema = z
  .object({
    /** When present, only targets whose id starts with `<namespace>/` for one of these namespaces are acted on. */
    namespaces: z.array(z.string().min(1)).optional(),
    targets: z.array(targetEntrySchema),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.targets.forEach((t, index) => {
      if (seen.has(t.id))
        ctx.addIssue({ code: 'custom', path: ['targets', index, 'id'], message: `duplicate target id ${t.id}` });
      seen.add(t.id);
    });
  });

export type TargetEntry = z.output<typeof targetEntrySchema>;
export type TargetsFile = z.output<typeof targetsFileSchema>;
export type TargetConnection = z.output<typeof connectionSchema>;

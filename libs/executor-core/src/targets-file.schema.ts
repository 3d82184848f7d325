import { targetCostSchema } from '@surge/contracts';
import { z } from 'zod';
import { httpEndpointFields, httpEndpointIssues } from './http-endpoint.schema';

const boundsSchema = z
  .object({ min: z.number().finite(), max: z.number().finite() })
  .refine((b) => b.min <= b.max, 'min must not exceed max');

/**
 * Limits on each change, held by the executor whatever a decision asks. `maxStep` bounds |new - current|: with
 * both parts given both hold (a limit that names two numbers means both), and `percent` is of the current value,
 * rounded up and at least 1 so a small target can still move. `minIntervalSeconds` is the shortest time between
 * two changes of one setting.
 */
const changeGuardrailsSchema = z
  .object({
    maxStep: z
      .object({ absolute: z.number().int().positive().optional(), percent: z.number().positive().optional() })
      .strict()
      .refine((s) => s.absolute !== undefined || s.percent !== undefined, 'give absolute, percent or both')
      .optional(),
    minIntervalSeconds: z.number().nonnegative().optional(),
  })
  .strict();

/** Credentials never travel in a decision: a target names where they live, an env variable or a mounted secret file. */
const connectionSchema = z.union([
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ secretFile: z.string().min(1) }).strict(),
]);

/** Long enough for pods to pull an image and pass their readiness probe; short enough to report a stuck rollout. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 120;

export const targetEntrySchema = z
  .object({
    id: z.string().min(1).max(253),
    kind: z.string().min(1),
    connection: connectionSchema.optional(),
    /** One {min,max} for every setting, or one per setting name (`replicas`, `default_pool_size`, …). */
    bounds: z.union([boundsSchema, z.record(z.string(), boundsSchema)]),
    allowed: z.boolean().default(true),
    onOutOfBounds: z.enum(['clamp', 'reject']).default('clamp'),
    /** How far the value read may be from a decision's `from` for the decision still to apply (0: exactly). */
    fromTolerance: z.number().nonnegative().default(0),
    guardrails: changeGuardrailsSchema.default({}),
    /**
     * How long an adapter that can tell readiness (Kubernetes: pods ready, rollout observed) waits for a change to
     * become ready before reporting `not-ready`; DEFAULT_READY_TIMEOUT_SECONDS when absent.
     */
    readyTimeoutSeconds: z.number().positive().optional(),
    /** Kubernetes only: act even though an HPA or KEDA ScaledObject scales the same workload. */
    allowHpaConflict: z.boolean().default(false),
    /** What a unit of each setting costs (costModelSchema): the rules engine estimates a plan step's cost with it. */
    cost: targetCostSchema.optional(),
    /** Adapter-specific options (a PgBouncer ini path, a Redis memory margin, …). */
    options: z.record(z.string(), z.unknown()).default({}),
    ...httpEndpointFields,
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
      for (const issue of httpEndpointIssues(t))
        ctx.addIssue({ code: 'custom', path: ['targets', index, ...issue.path], message: issue.message });
    });
  });

export type TargetEntry = z.output<typeof targetEntrySchema>;
export type ChangeGuardrails = z.output<typeof changeGuardrailsSchema>;
export type TargetsFile = z.output<typeof targetsFileSchema>;

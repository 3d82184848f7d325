import { z } from 'zod';

export const CONTROL_EVENT_SCHEMA_VERSION = 1;

export const controlEvent = z.object({
  schemaVersion: z.literal(CONTROL_EVENT_SCHEMA_VERSION),
  type: z.enum(['pause', 'resume', 'dry-run-on', 'dry-run-off', 'policy-changed', 'policy-invalid']),
  /** A policy name, or omitted for a global change. */
  policy: z.string().optional(),
  actor: z.string().default('system'),
  reason: z.string().optional(),
  time: z.number().int().nonnegative(),
});
export type ControlEvent = z.output<typeof controlEvent>;

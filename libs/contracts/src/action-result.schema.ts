import { z } from 'zod';
import { finiteNumber, targetRef } from './common.schema';

export const ACTION_RESULT_SCHEMA_VERSION = 1;

/**
 * `conflict`: the target read neither the decision's `from` nor its `to`, so nothing was changed (optimistic
 * concurrency). Added after the first results; every status before it keeps its meaning.
 */
export const actionStatus = z.enum(['applied', 'duplicate', 'stale', 'rejected', 'dry-run', 'failed', 'conflict']);
export type ActionStatus = z.infer<typeof actionStatus>;

export const actionResult = z.object({
  schemaVersion: z.literal(ACTION_RESULT_SCHEMA_VERSION),
  decisionId: z.string().min(1),
  target: targetRef,
  setting: z.string().min(1),
  status: actionStatus,
  before: finiteNumber.nullable(),
  after: finiteNumber.nullable(),
  durationMs: z.number().nonnegative(),
  error: z.string().nullable(),
  /** Whether the change was read back from the target within the verification timeout. */
  verified: z.boolean().nullable().default(null),
  /** A remark for people: a value clamped by bounds, what a dry run would have set. Optional, added for executors. */
  note: z.string().optional(),
  executor: z.string().min(1),
  time: z.number().int().nonnegative(),
});
export type ActionResult = z.output<typeof actionResult>;
export type ActionResultInput = z.input<typeof actionResult>;

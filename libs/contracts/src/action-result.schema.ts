import { z } from 'zod';
import { finiteNumber, targetRef } from './common.schema';

/**
 * Version 2 adds `reason`, a code for machines beside the prose `error`: `signature` marks a decision refused
 * because its signature did not verify, which names no decision the rules engine made. Version 1 (no reason) is
 * still accepted, for results written before it and executors not yet upgraded.
 */
export const ACTION_RESULT_SCHEMA_VERSION = 2;

/**
 * `conflict`: the target read neither the decision's `from` nor its `to`, so nothing was changed (optimistic
 * concurrency). Added after the first results; every status before it keeps its meaning.
 */
export const actionStatus = z.enum(['applied', 'duplicate', 'stale', 'rejected', 'dry-run', 'failed', 'conflict']);
export type ActionStatus = z.infer<typeof actionStatus>;

export const actionReason = z.enum(['signature']);
export type ActionReason = z.infer<typeof actionReason>;

const fields = {
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
};

const actionResultV1 = z.object({ schemaVersion: z.literal(1), ...fields });
const actionResultV2 = z.object({
  schemaVersion: z.literal(ACTION_RESULT_SCHEMA_VERSION),
  ...fields,
  /** Why a decision was refused, when a machine must tell (only `rejected` carries one). */
  reason: actionReason.optional(),
});

export const actionResult = z.discriminatedUnion('schemaVersion', [actionResultV1, actionResultV2]);
export type ActionResult = z.output<typeof actionResult>;
export type ActionResultInput = z.input<typeof actionResult>;

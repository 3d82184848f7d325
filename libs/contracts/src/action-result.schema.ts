import { z } from 'zod';
import { finiteNumber, targetRef } from './common.schema';
import { planRef } from './plan-ref.schema';

/**
 * Version 2 adds the status `conflict`: the target read neither the decision's `from` nor its `to`, so nothing
 * was changed (optimistic concurrency); and `reason`, a code for machines beside the prose `error`: `signature`
 * marks a decision refused because its signature did not verify, which names no decision the rules engine made.
 * Version 1 (without either) is still read, for a rolling upgrade and for the results already on the actions
 * topic; every status of version 1 keeps its meaning.
 * Version 3 adds the status `not-ready`: the change was made, but the target did not become ready (Kubernetes: its
 * pods ready and its rollout observed) within the target's readiness timeout. Versions 1 and 2 are still read.
 */
export const ACTION_RESULT_SCHEMA_VERSION = 3;

const statusesV1 = ['applied', 'duplicate', 'stale', 'rejected', 'dry-run', 'failed'] as const;
const statusesV2 = [...statusesV1, 'conflict'] as const;
export const actionStatus = z.enum([...statusesV2, 'not-ready']);
export type ActionStatus = z.infer<typeof actionStatus>;

export const actionReason = z.enum(['signature']);
export type ActionReason = z.infer<typeof actionReason>;

const fields = {
  decisionId: z.string().min(1),
  target: targetRef,
  setting: z.string().min(1),
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
  /** The decision's plan step, copied unchanged, so its result can advance the plan (see plan-ref.schema.ts). */
  plan: planRef.optional(),
};

const actionResultV1 = z.object({ schemaVersion: z.literal(1), status: z.enum(statusesV1), ...fields });
/** Why a decision was refused, when a machine must tell (only `rejected` carries one). */
const reason = actionReason.optional();
const actionResultV2 = z.object({ schemaVersion: z.literal(2), status: z.enum(statusesV2), ...fields, reason });
const actionResultV3 = z.object({
  schemaVersion: z.literal(ACTION_RESULT_SCHEMA_VERSION),
  status: actionStatus,
  ...fields,
  reason,
});

export const actionResult = z.discriminatedUnion('schemaVersion', [actionResultV1, actionResultV2, actionResultV3]);
export type ActionResult = z.output<typeof actionResult>;
export type ActionResultInput = z.input<typeof actionResult>;

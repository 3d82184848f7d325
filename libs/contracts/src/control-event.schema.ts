import { z } from 'zod';

/**
 * Version 4 adds `approve` and `reject`: an operator's answer to a plan step waiting for approval, naming the run
 * and the step in `plan`; each answer has a scope of its own (`approval:<runId>:<step>`).
 * Version 3 adds `until` to a pause: the epoch ms at which it lapses by itself.
 * Version 2 names the scope the event sets (`pause:global`, `dry-run:policy:<name>`, …). The control topic is
 * compacted and keyed by that scope, so the latest event of each scope is the operator's intent in force.
 * Version 1 (no scope) is still accepted, its scope derived from the type and the policy, for a rolling upgrade.
 */
export const CONTROL_EVENT_SCHEMA_VERSION = 4;

export const controlEventType = z.enum([
  'pause',
  'resume',
  'dry-run-on',
  'dry-run-off',
  'policy-changed',
  'policy-invalid',
  'approve',
  'reject',
]);
export type ControlEventType = z.output<typeof controlEventType>;

/** What an event sets. A policy's file status has a scope of its own, so it never overwrites an operator's intent. */
export function controlScopeOf(event: {
  type: ControlEventType;
  policy?: string | undefined;
  plan?: ApprovalRef | undefined;
}): string {
  if (event.type === 'approve' || event.type === 'reject')
    return `approval:${event.plan?.runId ?? ''}:${event.plan?.step ?? ''}`;
  const kind =
    event.type === 'pause' || event.type === 'resume'
      ? 'pause'
      : event.type === 'dry-run-on' || event.type === 'dry-run-off'
        ? 'dry-run'
        : 'policy-status';
  return `${kind}:${event.policy ? `policy:${event.policy}` : 'global'}`;
}

/** The plan step an answer is for: a run id names one breach's run, so an old run's answer never fits a new one. */
export const approvalRef = z.object({ runId: z.string().min(8).max(64), step: z.number().int().nonnegative() });
export type ApprovalRef = z.output<typeof approvalRef>;

const fields = {
  type: controlEventType,
  /** A policy name, or omitted for a global change. */
  policy: z.string().optional(),
  actor: z.string().default('system'),
  reason: z.string().optional(),
  time: z.number().int().nonnegative(),
};

const controlEventV1 = z.object({ schemaVersion: z.literal(1), ...fields });
const scoped = {
  ...fields,
  /** The record's key on the control topic. */
  scope: z.string().min(1),
};
const controlEventV2 = z.object({ schemaVersion: z.literal(2), ...scoped });
const controlEventV3 = z.object({
  schemaVersion: z.literal(3),
  ...scoped,
  /** A pause's expiry (epoch ms): past it the pause counts as resumed. Absent, it lasts until a resume. */
  until: z.number().int().nonnegative().optional(),
});

const controlEventV4 = controlEventV3.extend({
  schemaVersion: z.literal(CONTROL_EVENT_SCHEMA_VERSION),
  /** An answer's plan step; only `approve` and `reject` carry it, and they must. */
  plan: approvalRef.optional(),
});

const ANSWERS: ReadonlySet<ControlEventType> = new Set(['approve', 'reject']);

export const controlEvent = z
  .discriminatedUnion('schemaVersion', [controlEventV1, controlEventV2, controlEventV3, controlEventV4])
  .superRefine((event, ctx) => {
    if ('scope' in event && event.scope !== controlScopeOf(event))
      ctx.addIssue({ code: 'custom', path: ['scope'], message: `must be ${controlScopeOf(event)}` });
    if ('until' in event && event.until !== undefined && event.type !== 'pause')
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'only a pause may carry an expiry' });
    const plan = 'plan' in event ? event.plan : undefined;
    if (ANSWERS.has(event.type) && event.schemaVersion < CONTROL_EVENT_SCHEMA_VERSION)
      ctx.addIssue({ code: 'custom', path: ['type'], message: `${event.type} needs schemaVersion 4` });
    else if (ANSWERS.has(event.type) && !plan)
      ctx.addIssue({ code: 'custom', path: ['plan'], message: `${event.type} needs the plan step it answers` });
    else if (!ANSWERS.has(event.type) && plan)
      ctx.addIssue({ code: 'custom', path: ['plan'], message: 'only approve and reject name a plan step' });
  })
  .transform((event) => ({ ...event, scope: controlScopeOf(event) }));
export type ControlEvent = z.output<typeof controlEvent>;

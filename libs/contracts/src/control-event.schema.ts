import { z } from 'zod';

/**
 * Version 3 adds `until` to a pause: the epoch ms at which it lapses by itself.
 * Version 2 names the scope the event sets (`pause:global`, `dry-run:policy:<name>`, …). The control topic is
 * compacted and keyed by that scope, so the latest event of each scope is the operator's intent in force.
 * Version 1 (no scope) is still accepted, its scope derived from the type and the policy, for a rolling upgrade.
 */
export const CONTROL_EVENT_SCHEMA_VERSION = 3;

export const controlEventType = z.enum([
  'pause',
  'resume',
  'dry-run-on',
  'dry-run-off',
  'policy-changed',
  'policy-invalid',
]);
export type ControlEventType = z.output<typeof controlEventType>;

/** What an event sets. A policy's file status has a scope of its own, so it never overwrites an operator's intent. */
export function controlScopeOf(event: { type: ControlEventType; policy?: string | undefined }): string {
  const kind =
    event.type === 'pause' || event.type === 'resume'
      ? 'pause'
      : event.type === 'dry-run-on' || event.type === 'dry-run-off'
        ? 'dry-run'
        : 'policy-status';
  return `${kind}:${event.policy ? `policy:${event.policy}` : 'global'}`;
}

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
  schemaVersion: z.literal(CONTROL_EVENT_SCHEMA_VERSION),
  ...scoped,
  /** A pause's expiry (epoch ms): past it the pause counts as resumed. Absent, it lasts until a resume. */
  until: z.number().int().nonnegative().optional(),
});

export const controlEvent = z
  .discriminatedUnion('schemaVersion', [controlEventV1, controlEventV2, controlEventV3])
  .superRefine((event, ctx) => {
    if ('scope' in event && event.scope !== controlScopeOf(event))
      ctx.addIssue({ code: 'custom', path: ['scope'], message: `must be ${controlScopeOf(event)}` });
    if ('until' in event && event.until !== undefined && event.type !== 'pause')
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'only a pause may carry an expiry' });
  })
  .transform((event) => ({ ...event, scope: controlScopeOf(event) }));
export type ControlEvent = z.output<typeof controlEvent>;

import { z } from 'zod';
import { targetRef } from './common.schema';
import { alertPlanRef } from './plan-ref.schema';

export const ALERT_EVENT_SCHEMA_VERSION = 1;

/**
 * What raised the alert. The rules engine sends `rule` (its notifying rules) and `pause` (SurgePaused, an operator
 * pause that lasts); the others are the executors' to send, named now so a consumer of this version reads them.
 */
export const alertSource = z.enum([
  'rule',
  'action-failed',
  'verification-failed',
  'rollback',
  'pause',
  'approval-needed',
]);

/**
 * One alert transition on `surge.alerts`, shaped for Alertmanager: `labels` identify the alert and route it,
 * `annotations` describe it, `endsAt` is null while it fires. `alertId` names the breach, deterministically (the
 * same breach always gives the same id, so an outbox replay repeats it): its `firing` and `resolved` events share
 * it, and an event is unique by (alertId, status).
 */
export const alertEvent = z.object({
  schemaVersion: z.literal(ALERT_EVENT_SCHEMA_VERSION),
  alertId: z.string().min(8),
  status: z.enum(['firing', 'resolved']),
  source: alertSource,
  labels: z.object({
    alertname: z.string().min(1),
    target: z.string().min(1),
    policy: z.string().min(1),
    rule: z.string().min(1),
    /** As the policy wrote it: `P1`, `SEV-2`, `warning`, … A string, so a new alias is no contract change. */
    severity: z.string().min(1).max(64),
  }),
  /** The severity's place in libs/policy's order (severity.ts): 0 info … 4 critical/P0/SEV-1. */
  severityRank: z.number().int().min(0),
  /** Alertmanager's annotations: a summary and a description, and any further detail (a deadline, a size). */
  annotations: z.object({ summary: z.string(), description: z.string() }).catchall(z.string()),
  /** Epoch ms when the alert started firing. */
  startsAt: z.number().int().nonnegative(),
  /** Epoch ms when it was resolved; null while it fires. */
  endsAt: z.number().int().nonnegative().nullable(),
  /** The evaluation's clock (a sample's event time or a timer's due time), never the wall clock. */
  eventTime: z.number().int().nonnegative(),
  policyVersion: z.string().min(1),
  target: targetRef,
  /** Set on a plan's alerts, so the run's audit shows them. Optional: alerts of version 1 before it stay valid. */
  plan: alertPlanRef.optional(),
});
export type AlertEvent = z.output<typeof alertEvent>;
export type AlertEventInput = z.input<typeof alertEvent>;

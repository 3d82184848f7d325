import {
  ACTION_RESULT_SCHEMA_VERSION,
  type ActionReason,
  type ActionResult,
  type ActionStatus,
  type ScaleDecision,
} from '@surge/contracts';

export interface ResultFields {
  status: ActionStatus;
  reason?: ActionReason;
  before?: number | null;
  after?: number | null;
  error?: string | null;
  verified?: boolean | null;
  note?: string | null;
  startedAt: number;
}

/** One place that shapes an ActionResult, so every status carries the same fields. */
export function actionResultFor(
  decision: ScaleDecision,
  executor: string,
  fields: ResultFields,
  now: number = Date.now(),
): ActionResult {
  return {
    schemaVersion: ACTION_RESULT_SCHEMA_VERSION,
    decisionId: decision.decisionId,
    target: decision.target,
    setting: decision.setting,
    status: fields.status,
    ...(fields.reason ? { reason: fields.reason } : {}),
    before: fields.before ?? null,
    after: fields.after ?? null,
    durationMs: Math.max(0, now - fields.startedAt),
    error: fields.error ?? null,
    verified: fields.verified ?? null,
    ...(fields.note ? { note: fields.note } : {}),
    executor,
    time: now,
    ...(decision.plan ? { plan: decision.plan } : {}),
  };
}

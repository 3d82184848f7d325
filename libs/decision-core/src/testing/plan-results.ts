import { ACTION_RESULT_SCHEMA_VERSION, type ActionResult, type ScaleDecision } from '@surge/contracts';

/**
 * An executor's result of a plan step's decision: `applied` and `not-ready` report the decision's `to` as set (a
 * not-ready change was made), any other status the value left as it was.
 */
export function planResult(
  decision: ScaleDecision,
  status: ActionResult['status'],
  time: number,
  changes: Partial<ActionResult> = {},
): ActionResult {
  const made = status === 'applied' || status === 'not-ready';
  return {
    schemaVersion: ACTION_RESULT_SCHEMA_VERSION,
    decisionId: decision.decisionId,
    target: decision.target,
    setting: decision.setting,
    status,
    before: decision.from,
    after: made ? decision.to : decision.from,
    durationMs: 5,
    error: status === 'applied' ? null : 'boom',
    verified: status === 'applied',
    executor: 'test',
    time,
    plan: decision.plan!,
    ...changes,
  } as ActionResult;
}

import { createHash } from 'node:crypto';
import { ALERT_EVENT_SCHEMA_VERSION, type ActionResult, type AlertEvent, type ScaleDecision } from '@surge/contracts';
import { type RuleSeverity, SEVERITY_RANK } from '@surge/policy';

export const ACTION_FAILED_ALERT = 'SurgeActionFailed';

/** The final results that leave a target not as the decision wanted it, and so page someone. */
const ALERTING: ReadonlySet<ActionResult['status']> = new Set(['failed', 'rejected', 'not-ready']);

/**
 * Whether a result opens a SurgeActionFailed alert. A plan step's result never does: the rules engine already
 * alerts a failed step (SurgePlanStepFailed), and one failure must not page twice.
 */
export function opensActionAlert(result: ActionResult): boolean {
  return !result.plan && ALERTING.has(result.status);
}

/** Whether a result closes the alert left open on its target and setting: the target now holds what was decided. */
export function closesActionAlert(result: ActionResult): boolean {
  return !result.plan && result.status === 'applied';
}

/**
 * The firing alert of a failed, rejected or not-ready result. Its id comes from the decision id (and the reason,
 * so a forged copy of a genuine id never shares the genuine decision's alert): a republished result repeats it.
 * A decision refused for its signature names no policy or rule Surge wrote, so none of its claims is copied into
 * the labels, and it is critical whatever severity it claims: a forger must not be able to quiet the page.
 */
export function actionFailedAlert(decision: ScaleDecision, result: ActionResult): AlertEvent {
  // Version 1 results carry no reason; only the executor's own (the latest version) reach here, but the type is wide.
  const reason = 'reason' in result ? result.reason : undefined;
  const forged = reason === 'signature';
  const severity = forged ? 'critical' : (decision.ruleSeverity ?? decision.severity);
  const rule = decision.explanation.trigger.kind === 'rule' ? decision.explanation.trigger.name : '-';
  const detail = result.error ?? result.status;
  return {
    schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
    alertId: alertIdOf(decision.decisionId, reason ?? result.status),
    status: 'firing',
    source: 'action-failed',
    labels: {
      alertname: ACTION_FAILED_ALERT,
      target: decision.target.id,
      policy: forged ? '-' : decision.policy,
      rule: forged || !rule ? '-' : rule,
      severity,
    },
    // A severity outside the rule vocabulary (a newer release's) still alerts, at the lowest rank.
    severityRank: SEVERITY_RANK[severity as RuleSeverity] ?? 0,
    annotations: {
      summary: `${severity} ${decision.setting} ${decision.from} → ${decision.to} on ${decision.target.id} ${result.status}: ${detail}`,
      description: `Decision ${decision.decisionId} was ${result.status} by executor ${result.executor}.`,
    },
    startsAt: result.time,
    endsAt: null,
    eventTime: result.time,
    policyVersion: forged ? '-' : decision.policyVersion,
    target: decision.target,
  };
}

/** The resolve of `firing`, by the result that applied a later decision on the same target and setting. */
export function actionAlertResolved(firing: AlertEvent, applied: ActionResult): AlertEvent {
  return {
    ...firing,
    status: 'resolved',
    annotations: {
      summary: `resolved: ${applied.setting} on ${applied.target.id} applied by decision ${applied.decisionId}`,
      description: firing.annotations.description,
    },
    endsAt: Math.max(applied.time, firing.startsAt),
    eventTime: applied.time,
  };
}

function alertIdOf(decisionId: string, why: string): string {
  return `a-${createHash('sha256').update(['action-failed', decisionId, why].join('\u0000')).digest('hex').slice(0, 32)}`;
}

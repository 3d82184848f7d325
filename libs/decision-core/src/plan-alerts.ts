import { ALERT_EVENT_SCHEMA_VERSION, type AlertEvent } from '@surge/contracts';
import { type ScalingPolicy, severityRank, type ThresholdRule } from '@surge/policy';
import { alertIdOf } from './event-ids';
import type { PlanRun } from './plan-state';
import { verificationRecord } from './plan-verification';

/** The run an alert belongs to, with the verdict once judged: the audit shows the alert in the run. */
function alertPlanOf(policy: ScalingPolicy, rule: ThresholdRule, run: PlanRun, step?: number) {
  const verification = verificationRecord(rule, run);
  return {
    runId: run.runId,
    policyTarget: policy.target.id,
    rule: rule.name,
    ...(step === undefined ? {} : { step }),
    ...(verification ? { verification } : {}),
  };
}

/** Their own alert names, so Alertmanager never merges them with the rule's own alert (same labels otherwise). */
const ALERT_NAMES = { 'verification-failed': 'SurgePlanVerificationFailed', rollback: 'SurgePlanRollback' } as const;

/**
 * A plan's verification failing, as an alert: `rollback` when the run is being reverted for it, else
 * `verification-failed`. It fires when the check fails and resolves when the run is done (rolled back, or let go).
 */
export function planAlert(
  policy: ScalingPolicy,
  rule: ThresholdRule,
  run: PlanRun,
  source: keyof typeof ALERT_NAMES,
  startsAt: number,
  endsAt: number | null,
): AlertEvent {
  const detail = run.verification?.detail ?? 'verification failed';
  const what = source === 'rollback' ? 'rolling the plan back' : 'the plan stays as it is';
  return {
    schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
    alertId: alertIdOf(policy.target.id, policy.name, `${rule.name}\u0000${source}`, run.breach),
    status: endsAt === null ? 'firing' : 'resolved',
    source,
    labels: {
      alertname: ALERT_NAMES[source],
      target: policy.target.id,
      policy: policy.name,
      rule: rule.name,
      severity: rule.severity,
    },
    severityRank: severityRank(rule.severity),
    annotations: {
      summary:
        endsAt === null
          ? `${rule.severity} plan ${rule.name} on ${policy.target.id} did not help: ${what}`
          : `resolved: plan ${rule.name} on ${policy.target.id} is done`,
      description: `Verification of plan run ${run.runId}: ${detail}.`,
    },
    startsAt,
    endsAt,
    eventTime: endsAt ?? startsAt,
    policyVersion: policy.version,
    target: { kind: policy.target.kind, id: policy.target.id },
    plan: alertPlanOf(policy, rule, run),
  };
}

/**
 * A step's result, as an alert: `action-failed` for a step that failed (any plan: an unattended runbook that
 * stops must page someone), or a notifying step's result ("post to #incidents after scaling"). Each resolves when
 * the run is done.
 */
export function stepAlert(
  policy: ScalingPolicy,
  rule: ThresholdRule,
  run: PlanRun,
  index: number,
  source: 'action-failed' | 'rule',
  startsAt: number,
  endsAt: number | null,
): AlertEvent {
  // A run ended by a reload that changed the plan's shape resolves steps the plan may no longer have.
  const spec = rule.plan?.steps[index];
  const step = run.steps[index]!;
  const what = `${spec?.setting ?? 'setting'} ${step.before ?? '?'} → ${step.to ?? '?'} on ${spec?.target.id ?? '?'}`;
  return {
    schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
    alertId: alertIdOf(policy.target.id, policy.name, `${rule.name}\u0000step\u0000${index}`, run.breach),
    status: endsAt === null ? 'firing' : 'resolved',
    source,
    labels: {
      alertname: source === 'action-failed' ? 'SurgePlanStepFailed' : 'SurgePlanStep',
      target: policy.target.id,
      policy: policy.name,
      rule: rule.name,
      severity: rule.severity,
    },
    severityRank: severityRank(rule.severity),
    annotations: {
      summary:
        endsAt !== null
          ? `resolved: plan ${rule.name} on ${policy.target.id} is done`
          : source === 'action-failed'
            ? `${rule.severity} plan ${rule.name} step ${spec?.name ?? index + 1} failed: ${what}`
            : `${rule.severity} plan ${rule.name} step ${spec?.name ?? index + 1}: ${what}`,
      description: `Plan run ${run.runId}, step ${index + 1} of ${run.steps.length}: ${step.outcome ?? ''}.`,
    },
    startsAt,
    endsAt,
    eventTime: endsAt ?? startsAt,
    policyVersion: policy.version,
    target: { kind: policy.target.kind, id: policy.target.id },
    plan: alertPlanOf(policy, rule, run, index),
  };
}

import { ALERT_EVENT_SCHEMA_VERSION, type AlertEvent } from '@surge/contracts';
import { type ScalingPolicy, severityRank, type ThresholdRule } from '@surge/policy';
import { alertIdOf } from './event-ids';
import type { RuleState } from './state';
import type { RuleOutcome } from './threshold-rules';

const iso = (time: number) => new Date(time).toISOString();

/**
 * A notifying rule's alert transitions, Alertmanager-style: `firing` once per breach, when the rule first fires
 * (its `for` has held), and `resolved` once, when its condition stops holding after that (a metric gone stale
 * or the rule paused ends the breach too, as it withdraws the rule's recommendation). A breach that lasts sends
 * no repeat: a rule re-fires every `for` to scale again, but re-notifying is the notifier's (its repeat interval).
 * The firing time is kept in the rule's state (alertFiredAt), so a restart resolves what it fired before.
 */
export function trackRuleAlert(
  policy: ScalingPolicy,
  rule: ThresholdRule,
  previous: RuleState | undefined,
  next: { state: RuleState; outcome: RuleOutcome },
  now: number,
): { state: RuleState; alert?: AlertEvent } {
  const firedAt = previous?.alertFiredAt;
  if (next.outcome.holds) {
    if (firedAt !== undefined) return { state: { ...next.state, alertFiredAt: firedAt } };
    if (!rule.notify || !next.outcome.fired) return next;
    const breachStart = next.state.holdingSince ?? now;
    const alert = alertEvent(policy, rule, breachStart, now, null, {
      summary: `${rule.severity} ${rule.name} on ${policy.target.id}: ${next.outcome.detail}`,
      description:
        `Rule ${rule.name} of policy ${policy.name} holds since ${iso(breachStart)}; ` +
        (next.outcome.target === null ? 'it notifies only.' : `it also asks for ${next.outcome.target}.`),
    });
    return { state: { ...next.state, alertFiredAt: now }, alert };
  }
  if (firedAt === undefined || previous?.holdingSince == null) return next;
  const alert = alertEvent(policy, rule, previous.holdingSince, firedAt, now, {
    summary: `resolved: ${rule.severity} ${rule.name} on ${policy.target.id}`,
    description: `Rule ${rule.name} of policy ${policy.name} no longer holds (${next.outcome.detail}).`,
  });
  return { state: next.state, alert };
}

function alertEvent(
  policy: ScalingPolicy,
  rule: ThresholdRule,
  breachStart: number,
  startsAt: number,
  endsAt: number | null,
  annotations: AlertEvent['annotations'],
): AlertEvent {
  return {
    schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
    alertId: alertIdOf(policy.target.id, policy.name, rule.name, breachStart),
    status: endsAt === null ? 'firing' : 'resolved',
    source: 'rule',
    labels: {
      alertname: rule.name,
      target: policy.target.id,
      policy: policy.name,
      rule: rule.name,
      severity: rule.severity,
    },
    severityRank: severityRank(rule.severity),
    annotations,
    startsAt,
    endsAt,
    eventTime: endsAt ?? startsAt,
    policyVersion: policy.version,
    target: { kind: policy.target.kind, id: policy.target.id },
  };
}

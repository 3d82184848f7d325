import { ALERT_EVENT_SCHEMA_VERSION, type AlertEvent } from '@surge/contracts';
import { alertIdOf } from '@surge/decision-core';
import { type ScalingPolicy, severityRank } from '@surge/policy';
import type { OperatorPause } from './control-state.service';

const SEVERITY = 'warning';
const iso = (time: number) => new Date(time).toISOString();

/**
 * The SurgePaused alert of one operator pause. Its id is the scope's and the pause time's, and its times follow
 * from the pause alone, so every engine instance (and a restarted one) sends the same event for the same pause.
 * `policy` is the paused policy's definition when it is still loaded; a global pause names every target (`*`).
 */
export function pauseAlert(
  pause: OperatorPause,
  policy: ScalingPolicy | undefined,
  firedAt: number,
  endedAt: number | null,
): AlertEvent {
  const target = policy ? policy.target : { kind: '*', id: '*' };
  const subject = pause.policy ? `policy ${pause.policy}` : 'every policy';
  return {
    schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
    alertId: alertIdOf(target.id, pause.policy ?? '*', 'pause', pause.since),
    status: endedAt === null ? 'firing' : 'resolved',
    source: 'pause',
    labels: {
      alertname: 'SurgePaused',
      target: target.id,
      policy: pause.policy ?? '*',
      rule: 'pause',
      severity: SEVERITY,
    },
    severityRank: severityRank(SEVERITY),
    annotations:
      endedAt === null
        ? {
            summary: `Surge paused for ${subject} since ${iso(pause.since)}`,
            description: `Automatic scaling of ${subject} has been paused by an operator since ${iso(pause.since)}; no decision is published until it is resumed.`,
          }
        : {
            summary: `resolved: Surge no longer paused for ${subject}`,
            description: `The pause of ${subject} set at ${iso(pause.since)} ended at ${iso(endedAt)}.`,
          },
    startsAt: firedAt,
    endsAt: endedAt,
    eventTime: endedAt ?? firedAt,
    policyVersion: policy?.version ?? '*',
    target: { kind: target.kind, id: target.id },
  };
}

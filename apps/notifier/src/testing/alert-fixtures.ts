import { type AlertEvent, alertEvent } from '@surge/contracts';

/** A firing alert as the rules engine sends it; `overrides` replace top-level fields. */
export function firingAlert(target: string, overrides: Partial<AlertEvent> = {}): AlertEvent {
  return alertEvent.parse({
    schemaVersion: 1,
    alertId: `alert-${target}-error-warning`,
    status: 'firing',
    source: 'rule',
    labels: { alertname: 'SurgeRuleBreached', target, policy: 'it-alerts', rule: 'error-warning', severity: 'SEV-3' },
    severityRank: 2,
    annotations: { summary: `error_rate high on ${target}`, description: 'error_rate > 5 for 2s' },
    startsAt: Date.parse('2026-03-02T10:00:00Z'),
    endsAt: null,
    eventTime: Date.parse('2026-03-02T10:00:02Z'),
    policyVersion: 'v1',
    target: { kind: 'Deployment', id: target },
    ...overrides,
  });
}

/** The same alert resolved at `endsAt`. */
export function resolvedAlert(firing: AlertEvent, endsAt: number): AlertEvent {
  return alertEvent.parse({ ...firing, status: 'resolved', endsAt, eventTime: endsAt });
}

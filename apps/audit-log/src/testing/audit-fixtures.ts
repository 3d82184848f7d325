import {
  ACTION_RESULT_SCHEMA_VERSION,
  ALERT_EVENT_SCHEMA_VERSION,
  type ActionResultInput,
  type AlertEventInput,
  SCALE_EXPLANATION_SCHEMA_VERSION,
  type ScaleDecisionInput,
  type ScaleExplanationInput,
} from '@surge/contracts';
import type { AuditRow } from '../events/audit-row';

export function decisionFixture(decisionId: string, targetId: string, eventTime = Date.now()): ScaleDecisionInput {
  return {
    schemaVersion: 1,
    decisionId,
    target: { kind: 'deployment', id: targetId },
    setting: 'replicas',
    from: 3,
    to: 6,
    direction: 'up',
    severity: 'info',
    dryRun: false,
    policy: 'checkout-cpu',
    policyVersion: 'v1',
    eventTime,
    explanation: {
      summary: `cpu 90% over target 60%: ${targetId} 3 -> 6`,
      trigger: { kind: 'metric', name: 'cpu_utilization' },
      metrics: [{ metric: 'cpu_utilization', value: 0.9, target: 0.6, targetType: 'Utilization', recommendation: 5 }],
      rules: [],
      constraints: [{ name: 'scaleUp.maxChangePerPeriod', before: 5, after: 6, detail: 'rounded up to step' }],
      rawRecommendation: 5,
      final: 6,
      winner: 'cpu_utilization',
    },
  };
}

export function actionFixture(decisionId: string, targetId: string): ActionResultInput {
  return {
    schemaVersion: ACTION_RESULT_SCHEMA_VERSION,
    decisionId,
    target: { kind: 'deployment', id: targetId },
    setting: 'replicas',
    status: 'applied',
    before: 3,
    after: 6,
    durationMs: 42,
    error: null,
    verified: true,
    executor: 'kubernetes',
    time: Date.now(),
  };
}

export function alertFixture(alertId: string, targetId: string, status: 'firing' | 'resolved'): AlertEventInput {
  const startsAt = Date.now() - 60_000;
  return {
    schemaVersion: ALERT_EVENT_SCHEMA_VERSION,
    alertId,
    status,
    source: 'rule',
    labels: {
      alertname: 'p1-degradation',
      target: targetId,
      policy: 'checkout-cpu',
      rule: 'p1-degradation',
      severity: 'P1',
    },
    severityRank: 3,
    annotations: { summary: `P1 p1-degradation on ${targetId}`, description: 'error rate above 5%' },
    startsAt,
    endsAt: status === 'firing' ? null : Date.now(),
    eventTime: Date.now(),
    policyVersion: 'v1',
    target: { kind: 'deployment', id: targetId },
  };
}

export function explanationFixture(explanationId: string, targetId: string): ScaleExplanationInput {
  return {
    schemaVersion: SCALE_EXPLANATION_SCHEMA_VERSION,
    explanationId,
    target: { kind: 'deployment', id: targetId },
    setting: 'replicas',
    policy: 'checkout-cpu',
    policyVersion: 'v1',
    trigger: { kind: 'rule', name: 'p1-degradation' },
    wanted: 15,
    current: 10,
    decided: 10,
    reason: 'at-max',
    summary: 'wanted 15 by rule p1-degradation, capped at maxReplicas 10',
    eventTime: Date.now(),
  };
}

let offset = 0;

/** Rows as the consumer would write them, with unique Kafka coordinates. */
export function rowFixture(targetId: string, recordTime: Date, extra: Partial<AuditRow> = {}): AuditRow {
  offset += 1;
  return {
    topic: 'surge.scale.decisions',
    partition: 0,
    kafkaOffset: String(offset),
    recordTime,
    eventType: 'decision',
    targetId,
    targetKind: 'deployment',
    decisionId: `dec-${offset}`,
    status: 'decided',
    policy: 'checkout-cpu',
    payload: { n: offset },
    ...extra,
  };
}

import type { AlertEvent } from '@surge/contracts';
import { consoleLinkOf } from '../../alertmanager/alertmanager-payload';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** A PagerDuty Events API v2 event (`POST /v2/enqueue`). */
export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp: string;
    custom_details: Record<string, string | number>;
  };
  links?: { href: string; text: string }[];
}

/** PagerDuty's four levels from the rank (libs/policy severity.ts): 4 critical, 3 error, 2–1 warning, 0 info. */
export function pagerDutySeverity(rank: number): PagerDutySeverity {
  if (rank >= 4) return 'critical';
  if (rank === 3) return 'error';
  if (rank >= 1) return 'warning';
  return 'info';
}

// PagerDuty refuses a summary longer than this.
const MAX_SUMMARY = 1024;

/**
 * The alertId is the dedup key: its trigger opens one incident however often it is sent, its resolve closes that
 * one. A resolve carries no payload, which PagerDuty ignores on resolve anyway.
 */
export function toPagerDutyEvent(alert: AlertEvent, routingKey: string, consoleUrl?: string): PagerDutyEvent {
  if (alert.status === 'resolved')
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: alert.alertId };
  const { alertname, target, policy, rule, severity } = alert.labels;
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: alert.alertId,
    payload: {
      summary: alert.annotations.summary.slice(0, MAX_SUMMARY),
      source: target,
      severity: pagerDutySeverity(alert.severityRank),
      timestamp: new Date(alert.startsAt).toISOString(),
      custom_details: {
        description: alert.annotations.description,
        alertname,
        policy,
        rule,
        severity,
        policyVersion: alert.policyVersion,
        source: alert.source,
      },
    },
    ...(consoleUrl ? { links: [{ href: consoleLinkOf(alert, consoleUrl), text: 'Surge console' }] } : {}),
  };
}

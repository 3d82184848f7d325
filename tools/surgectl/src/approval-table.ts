import type { AlertEvent } from '@surge/contracts';
import { textTable } from './text-table';

const stamp = (time: number) => new Date(time).toISOString().replace('.000Z', 'Z');

/**
 * The plan steps that waited for approval, and what became of each. Offline no operator answers: a step waits
 * until its deadline, then its plan's `onTimeout` (apply or skip) answers, which this says in so many words.
 */
export function formatApprovalTable(alerts: readonly AlertEvent[]): string {
  const asked = alerts.filter((alert) => alert.source === 'approval-needed' && alert.status === 'firing');
  if (!asked.length) return '';
  const rows = asked.map((alert) => {
    const resolved = alerts.find((other) => other.alertId === alert.alertId && other.status === 'resolved');
    const outcome = resolved
      ? `no operator answers offline: ${resolved.annotations.summary.replace(/^resolved: /, '')}`
      : 'still waiting when the trace ends';
    return [
      stamp(alert.startsAt),
      alert.labels.target,
      alert.labels.rule ?? '',
      alert.annotations['size'] ?? '',
      alert.annotations['deadline'] ?? '',
      outcome,
    ];
  });
  return '\nAPPROVALS\n' + textTable(['ASKED', 'TARGET', 'RULE', 'SIZE', 'DEADLINE', 'OUTCOME'], rows);
}

import type { AlertEvent, ScaleExplanation } from '@surge/contracts';
import type { SimulatedDecision } from './simulator';
import { textTable } from './text-table';

const COLUMNS = ['time', 'target', 'setting', 'from', 'to', 'severity', 'trigger', 'reason'] as const;

/** A fixed-width table for people; the JSONL output is for machines. */
export function formatDecisionTable(decisions: SimulatedDecision[]): string {
  if (decisions.length === 0) return 'no decisions\n';
  const rows = decisions.map((d) => [
    d.timestamp.replace('.000Z', 'Z'),
    d.target.id,
    d.setting,
    String(d.from),
    String(d.to),
    d.dryRun ? `${d.severity} (dry-run)` : d.severity,
    `${d.explanation.trigger.kind}:${d.explanation.trigger.name}`,
    d.reason,
  ]);
  const widths = COLUMNS.map((name, column) =>
    Math.max(name.length, ...rows.slice().map((row) => (column === COLUMNS.length - 1 ? 0 : row[column]!.length))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS.map((c) => c.toUpperCase())), ...rows.map(line)].join('\n') + '\n';
}

const stamp = (time: number) => new Date(time).toISOString().replace('.000Z', 'Z');

/** The alerts people would get and the explanations of what was not done, after the decisions. */
export function formatEventTables(alerts: readonly AlertEvent[], explanations: readonly ScaleExplanation[]): string {
  let out = '';
  if (alerts.length)
    out +=
      '\nALERTS\n' +
      textTable(
        ['TIME', 'STATUS', 'SEVERITY', 'ALERT', 'TARGET', 'SUMMARY'],
        alerts.map((a) => [
          stamp(a.eventTime),
          a.status,
          a.labels.severity,
          a.labels.alertname,
          a.labels.target,
          a.annotations.summary,
        ]),
      );
  if (explanations.length)
    out +=
      '\nNOT DONE\n' +
      textTable(
        ['TIME', 'TARGET', 'REASON', 'SUMMARY'],
        explanations.map((e) => [stamp(e.eventTime), e.target.id, e.reason, e.summary]),
      );
  return out;
}

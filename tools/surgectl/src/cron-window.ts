import { CronExpressionParser } from 'cron-parser';

/** Enough windows to pass a daylight-saving change whatever the cron's period, short of a yearly one. */
const WINDOWS = 60;

export interface CronWindow {
  /** The most common length, in seconds, from a start to the next end. */
  seconds: number;
  /** Every length seen, when they differ (a window that spans a daylight-saving change, or uneven crons). */
  lengths: number[];
}

/**
 * A KEDA cron trigger's window (active from each `start` to the next `end`) as Surge's cron + duration: Surge
 * opens a window at each cron time and keeps it open for a fixed length, so the length is measured here.
 */
export function cronWindow(start: string, end: string, timezone: string, from: Date): CronWindow {
  const starts = CronExpressionParser.parse(start, { tz: timezone, currentDate: from });
  const counts = new Map<number, number>();
  for (let index = 0; index < WINDOWS; index++) {
    const opens = starts.next().toDate();
    const closes = CronExpressionParser.parse(end, { tz: timezone, currentDate: opens }).next().toDate();
    const seconds = (closes.getTime() - opens.getTime()) / 1000;
    counts.set(seconds, (counts.get(seconds) ?? 0) + 1);
  }
  const byCount = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return { seconds: byCount[0]![0], lengths: counts.size > 1 ? [...counts.keys()].sort((a, b) => a - b) : [] };
}

/** Seconds as Surge's duration syntax: `10h`, `1h30m`, `45s`. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) parts.push(`${Math.floor(rest / size)}${unit}`);
    rest %= size;
  }
  return parts.join('') || '0s';
}

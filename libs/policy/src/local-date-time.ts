/**
 * ISO-8601 date-times for one-off schedule windows (`2026-03-14T09:00`, `2026-03-14T09:00:30+01:00`), to epoch ms.
 * Without an offset the wall time is read in the schedule's time zone. There is no Temporal here, so the zone's
 * offset comes from Intl.DateTimeFormat: the wall time of an instant, compared with the instant itself.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall time at `instant` in `timeZone`, written as if it were UTC: its difference from `instant` is the offset. */
function wallTimeAt(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(instant)) parts[part.type] = Number(part.value);
  return Date.UTC(
    parts['year']!,
    parts['month']! - 1,
    parts['day']!,
    parts['hour']!,
    parts['minute']!,
    parts['second']!,
  );
}

function offsetAt(instant: number, timeZone: string): number {
  return wallTimeAt(Math.floor(instant / 1000) * 1000, timeZone) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall time names in `timeZone`, as RFC 5545 (§3.3.5) and Temporal's `compatible` read it: a time
 * that happens twice (clocks going back) is its first occurrence; one that never happens (clocks going forward)
 * takes the offset from before the gap, so 02:30 on a spring-forward night is 03:30 in the new offset.
 */
export function instantOfWallTime(wall: number, timeZone: string): number {
  // No zone changes its offset twice within two days, so the offsets a day either side are the only candidates.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const matching = [wall - before, wall - after].filter((instant) => wallTimeAt(instant, timeZone) === wall);
  return matching.length ? Math.min(...matching) : wall - before;
}

/** Epoch ms of `text`, or throws with a message that says what was expected. */
export function parseLocalDateTime(text: string, timeZone: string): number {
  const match = DATE_TIME.exec(text);
  if (!match) throw new Error(`must be an ISO-8601 date-time such as 2026-03-14T09:00 or 2026-03-14T09:00+01:00`);
  const [year, month, day, hour, minute, second = 0] = match.slice(1, 7).map((field) => Number(field ?? 0));
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second);
  const check = new Date(wall);
  // Date.UTC rolls 2026-02-30 over to March 2nd: a field out of range shows as a different date read back.
  if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day || hour! > 23 || minute! > 59 || second > 59)
    throw new Error(`"${text}" is not a valid date-time`);
  const offset = match[7];
  if (offset === undefined) return instantOfWallTime(wall, timeZone);
  if (offset === 'Z') return wall;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [offsetHours, offsetMinutes] = offset.slice(1).split(':').map(Number);
  if (offsetHours! > 23 || offsetMinutes! > 59) throw new Error(`"${text}" has an invalid offset`);
  return wall - sign * (offsetHours! * 60 + offsetMinutes!) * 60_000;
}

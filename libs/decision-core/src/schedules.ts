import type { CronSchedule, Schedule } from '@surge/policy';
import { CronExpressionParser } from 'cron-parser';

export interface ActiveSchedule {
  schedule: Schedule;
  startedAt: number;
  endsAt: number;
}

/** The latest start at or before `now`: cron-parser's prev() is strict, so ask from just after now. */
function lastStart(schedule: CronSchedule, now: number): number | null {
  try {
    const expression = CronExpressionParser.parse(schedule.cron, {
      currentDate: new Date(now + 1),
      tz: schedule.timezone,
    });
    return expression.prev().getTime();
  } catch {
    return null;
  }
}

function nextStart(schedule: CronSchedule, now: number): number | null {
  try {
    return CronExpressionParser.parse(schedule.cron, { currentDate: new Date(now), tz: schedule.timezone })
      .next()
      .getTime();
  } catch {
    return null;
  }
}

/** The window of `schedule` that contains `now`, if one does: [start, start + duration) or [from, to). */
function windowAt(schedule: Schedule, now: number): ActiveSchedule | undefined {
  if (!('cron' in schedule))
    return schedule.from <= now && now < schedule.to
      ? { schedule, startedAt: schedule.from, endsAt: schedule.to }
      : undefined;
  const startedAt = lastStart(schedule, now);
  if (startedAt === null) return undefined;
  const endsAt = startedAt + schedule.durationSeconds * 1000;
  return now < endsAt ? { schedule, startedAt, endsAt } : undefined;
}

/** Schedules whose window contains `now`, weekly ones in the schedule's time zone. */
export function activeSchedules(schedules: readonly Schedule[], now: number): ActiveSchedule[] {
  return schedules.flatMap((schedule) => windowAt(schedule, now) ?? []);
}

/** The highest floor among active schedules. */
export function scheduleFloor(schedules: readonly Schedule[], now: number): ActiveSchedule | undefined {
  return activeSchedules(schedules, now)
    .filter((active) => active.schedule.min !== undefined)
    .reduce<ActiveSchedule | undefined>(
      (best, candidate) => (!best || candidate.schedule.min! > best.schedule.min! ? candidate : best),
      undefined,
    );
}

/** The lowest cap among active schedules. */
export function scheduleCap(schedules: readonly Schedule[], now: number): ActiveSchedule | undefined {
  return activeSchedules(schedules, now)
    .filter((active) => active.schedule.max !== undefined)
    .reduce<ActiveSchedule | undefined>(
      (best, candidate) => (!best || candidate.schedule.max! < best.schedule.max! ? candidate : best),
      undefined,
    );
}

/** The next instant a schedule starts or ends, for the engine's timer; a one-off window past its end never wakes it. */
export function nextScheduleChange(schedules: readonly Schedule[], now: number): number | null {
  const times: number[] = [];
  for (const schedule of schedules) {
    if ('cron' in schedule) {
      const start = nextStart(schedule, now);
      if (start !== null) times.push(start);
    } else if (now < schedule.from) times.push(schedule.from);
  }
  for (const active of activeSchedules(schedules, now)) times.push(active.endsAt);
  return times.length ? Math.min(...times) : null;
}

/** How a schedule's window reads in an explanation. */
export function describeWindow(schedule: Schedule): string {
  if ('cron' in schedule) return `${schedule.cron} ${schedule.timezone}`;
  return `${new Date(schedule.from).toISOString()} to ${new Date(schedule.to).toISOString()}`;
}

import type { Schedule } from '@surge/policy';
import { CronExpressionParser } from 'cron-parser';

export interface ActiveSchedule {
  schedule: Schedule;
  startedAt: number;
  endsAt: number;
}

/** The latest start at or before `now`: cron-parser's prev() is strict, so ask from just after now. */
function lastStart(schedule: Schedule, now: number): number | null {
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

function nextStart(schedule: Schedule, now: number): number | null {
  try {
    return CronExpressionParser.parse(schedule.cron, { currentDate: new Date(now), tz: schedule.timezone })
      .next()
      .getTime();
  } catch {
    return null;
  }
}

/** Schedules whose window [start, start + duration) contains `now`, in the schedule's time zone. */
export function activeSchedules(schedules: readonly Schedule[], now: number): ActiveSchedule[] {
  const active: ActiveSchedule[] = [];
  for (const schedule of schedules) {
    const startedAt = lastStart(schedule, now);
    if (startedAt === null) continue;
    const endsAt = startedAt + schedule.durationSeconds * 1000;
    if (now < endsAt) active.push({ schedule, startedAt, endsAt });
  }
  return active;
}

/** The highest floor among active schedules: schedules only ever raise the floor. */
export function scheduleFloor(schedules: readonly Schedule[], now: number): ActiveSchedule | undefined {
  return activeSchedules(schedules, now).reduce<ActiveSchedule | undefined>(
    (best, candidate) => (!best || candidate.schedule.min > best.schedule.min ? candidate : best),
    undefined,
  );
}

/** The next instant a schedule starts or ends, for the engine's timer. */
export function nextScheduleChange(schedules: readonly Schedule[], now: number): number | null {
  const times: number[] = [];
  for (const schedule of schedules) {
    const start = nextStart(schedule, now);
    if (start !== null) times.push(start);
  }
  for (const active of activeSchedules(schedules, now)) times.push(active.endsAt);
  return times.length ? Math.min(...times) : null;
}

import { CronExpressionParser } from 'cron-parser';
import { parseLocalDateTime } from './local-date-time';
import type { PolicySpec } from './policy.schema';
import type { Schedule } from './policy.types';

type At = (path: (string | number)[], message: string) => void;
type ScheduleSpec = PolicySpec['schedules'][number];

/** What a schedule is checked against: the policy's setting and bounds, when those were valid. */
export interface PolicyBounds {
  setting: string;
  min: number;
  max: number;
}

/**
 * One schedule, checked: exactly one of the weekly form (cron + duration) and the one-off form (from + to), a
 * floor or a cap, and the time zone. Returns undefined after reporting what is wrong.
 */
export function normalizeSchedule(
  s: ScheduleSpec,
  index: number,
  policy: PolicyBounds | undefined,
  at: At,
): Schedule | undefined {
  const path = ['schedules', index];
  const limits = normalizeLimits(s, path, policy, at);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: s.timezone });
  } catch {
    return void at([...path, 'timezone'], `unknown time zone "${s.timezone}"`);
  }
  const window = normalizeWindow(s, path, at);
  if (!limits || !window) return undefined;
  return { name: s.name ?? `schedule-${index}`, timezone: s.timezone, ...window, ...limits };
}

function normalizeWindow(s: ScheduleSpec, path: (string | number)[], at: At) {
  const weekly = s.cron !== undefined || s.duration !== undefined;
  const oneOff = s.from !== undefined || s.to !== undefined;
  if (weekly && oneOff)
    return void at([...path, s.from !== undefined ? 'from' : 'to'], 'use cron + duration or from + to, not both');
  if (!weekly && !oneOff)
    return void at([...path, 'cron'], 'needs cron + duration (a repeating window) or from + to (a one-off window)');
  if (weekly) {
    if (s.cron === undefined) return void at([...path, 'cron'], 'is required with duration');
    if (s.duration === undefined) return void at([...path, 'duration'], 'is required with cron');
    try {
      CronExpressionParser.parse(s.cron, { tz: s.timezone, strict: false });
    } catch (error) {
      return void at([...path, 'cron'], `invalid cron expression: ${(error as Error).message}`);
    }
    if (s.duration <= 0) return void at([...path, 'duration'], 'must be positive');
    return { cron: s.cron, durationSeconds: s.duration };
  }
  const from = dateTime(s.from, 'from', s.timezone, path, at);
  const to = dateTime(s.to, 'to', s.timezone, path, at);
  if (from === undefined || to === undefined) return undefined;
  if (to <= from) return void at([...path, 'to'], `must be after from (${s.from})`);
  return { from, to };
}

function dateTime(text: string | undefined, field: 'from' | 'to', timeZone: string, path: (string | number)[], at: At) {
  if (text === undefined) return void at([...path, field], `is required with ${field === 'from' ? 'to' : 'from'}`);
  try {
    return parseLocalDateTime(text, timeZone);
  } catch (error) {
    return void at([...path, field], (error as Error).message);
  }
}

/**
 * The floor and the cap. Each bound a schedule gives replaces the policy's, so a schedule may go below
 * minReplicas or above maxReplicas; a floor alone may not pass maxReplicas, though: raising the ceiling is
 * said with `max`. Keys left out rather than undefined, so the versions of floor-only policies stay.
 */
function normalizeLimits(s: ScheduleSpec, path: (string | number)[], policy: PolicyBounds | undefined, at: At) {
  if (s.minReplicas !== undefined && s.min !== undefined)
    return void at([...path, 'min'], 'use minReplicas or min, not both');
  if (s.maxReplicas !== undefined && s.max !== undefined)
    return void at([...path, 'max'], 'use maxReplicas or max, not both');
  const floorField = s.minReplicas !== undefined ? 'minReplicas' : 'min';
  const min = s.minReplicas ?? s.min;
  const max = s.maxReplicas ?? s.max;
  if (min === undefined && max === undefined)
    return void at(path, 'needs a floor (minReplicas or min), a cap (maxReplicas or max), or both');
  if (min !== undefined && max !== undefined && min > max)
    return void at([...path, floorField], `must not exceed the schedule's own maximum (${max})`);
  if (policy && min !== undefined && max === undefined && min > policy.max)
    return void at([...path, floorField], `exceeds the maximum (${policy.max}): give the schedule a max to raise it`);
  // HPA reads 0 replicas as autoscaling switched off by hand: a window that let the target reach 0 would leave
  // it off after the window ended, with nothing to bring it back.
  if (policy && policy.setting === 'replicas' && policy.min > 0 && min === 0)
    return void at([...path, floorField], 'must be at least 1: 0 replicas disables autoscaling (minReplicas > 0)');
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

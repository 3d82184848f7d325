import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { nextScheduleChange, scheduleFloor } from './schedules';
import { emptyState } from './state';
import { testPolicy } from './testing';

// Fridays 18:00 in Kigali (UTC+2) = 16:00 UTC. 2026-11-27 is a Friday.
const policy = testPolicy({
  metrics: [{ metric: 'cpu_utilization', target: { type: 'Utilization', averageUtilization: 70 } }],
  minReplicas: 2,
  maxReplicas: 40,
  schedules: [
    { name: 'two-hours-before', cron: '0 16 * * 5', timezone: 'Africa/Kigali', duration: '1h', minReplicas: 6 },
    { name: 'one-hour-before', cron: '0 17 * * 5', timezone: 'Africa/Kigali', duration: '4h', minReplicas: 10 },
  ],
});
const utc = (text: string) => Date.parse(`2026-11-27T${text}Z`);

describe('schedules', () => {
  it.each([
    { time: '13:59:59', floor: undefined },
    { time: '14:00:00', floor: 6 },
    { time: '14:59:59', floor: 6 },
    { time: '15:00:00', floor: 10 },
    { time: '18:59:59', floor: 10 },
    { time: '19:00:00', floor: undefined },
  ])('at $time UTC the floor is $floor', ({ time, floor }) => {
    expect(scheduleFloor(policy.schedules, utc(time))?.schedule.min).toBe(floor);
  });

  it('raise the value after the rate limits, and name the schedule as the trigger', () => {
    const result = evaluate({
      policy,
      state: emptyState(2),
      samples: [{ metric: 'cpu_utilization', value: 70, timestamp: utc('15:00:05') }],
    });
    expect(result.decisions[0]).toMatchObject({
      from: 2,
      to: 10,
      explanation: { trigger: { kind: 'schedule', name: 'one-hour-before' } },
    });
    const names = result.decisions[0]!.explanation.constraints.map((c) => c.name);
    expect(names).toEqual(['tolerance', 'stabilization', 'policy-limit', 'schedule-floor', 'max-step', 'bounds']);
  });

  it('tell the timer when the next window starts or ends', () => {
    expect(nextScheduleChange(policy.schedules, utc('12:00:00'))).toBe(utc('14:00:00'));
    expect(nextScheduleChange(policy.schedules, utc('15:30:00'))).toBe(utc('19:00:00'));
  });
});

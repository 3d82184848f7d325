import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { activeSchedules, nextScheduleChange, scheduleCap, scheduleFloor } from './schedules';
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

// Runbook 003 l.494-509: a product launch at 10:00, pre-scaled at 09:30 and scaled down at 14:00, once. 2026-11-23
// (a Monday) is the example date of examples/policies/sergas-api-server.yaml (the runbook names none), written here
// in Paris time to read the window in its zone: 10:30 CET is 09:30 UTC.
const launch = testPolicy({
  minReplicas: 3,
  maxReplicas: 20,
  schedules: [{ name: 'launch', from: '2026-11-23T10:30', to: '2026-11-23T15:00', timezone: 'Europe/Paris', min: 20 }],
});
const instant = (text: string) => Date.parse(`${text}Z`);

describe('one-off schedules', () => {
  it.each([
    { time: '2026-11-23T09:29:59', floor: undefined },
    { time: '2026-11-23T09:30:00', floor: 20 },
    { time: '2026-11-23T13:59:59', floor: 20 },
    { time: '2026-11-23T14:00:00', floor: undefined },
    // The next day at the same hour: a weekday cron would have floored it again.
    { time: '2026-11-24T09:30:00', floor: undefined },
    { time: '2027-11-23T09:30:00', floor: undefined },
  ])('are active over [from, to) only: at $time UTC the floor is $floor', ({ time, floor }) => {
    expect(scheduleFloor(launch.schedules, instant(time))?.schedule.min).toBe(floor);
  });

  it.each([
    { time: '2026-11-20T00:00:00', wake: '2026-11-23T09:30:00' },
    { time: '2026-11-23T09:29:59', wake: '2026-11-23T09:30:00' },
    { time: '2026-11-23T09:30:00', wake: '2026-11-23T14:00:00' },
    { time: '2026-11-23T13:00:00', wake: '2026-11-23T14:00:00' },
    { time: '2026-11-23T14:00:00', wake: null },
    { time: '2026-12-23T14:00:00', wake: null },
  ])('wake the timer at their start and end and never after: from $time, at $wake', ({ time, wake }) => {
    expect(nextScheduleChange(launch.schedules, instant(time))).toBe(wake === null ? null : instant(wake));
  });

  it('share the timer with weekly ones: the earlier change wins', () => {
    const both = testPolicy({
      minReplicas: 3,
      maxReplicas: 20,
      schedules: [
        { name: 'launch', from: '2026-11-23T09:30', to: '2026-11-23T14:00', min: 20 },
        { name: 'nightly', cron: '0 12 * * *', duration: '1h', max: 4 },
      ],
    });
    expect(nextScheduleChange(both.schedules, instant('2026-11-23T11:00:00'))).toBe(instant('2026-11-23T12:00:00'));
    expect(nextScheduleChange(both.schedules, instant('2026-11-23T12:30:00'))).toBe(instant('2026-11-23T13:00:00'));
    expect(nextScheduleChange(both.schedules, instant('2026-11-23T13:30:00'))).toBe(instant('2026-11-23T14:00:00'));
    expect(nextScheduleChange(both.schedules, instant('2026-11-23T14:00:00'))).toBe(instant('2026-11-24T12:00:00'));
  });
});

// Runbook 003 l.536-538: "weekend-minimal, cron 0 0 * * 6,0, replicas 2", with an overlapping sale-day cap.
const capped = testPolicy({
  minReplicas: 3,
  maxReplicas: 20,
  schedules: [
    { name: 'weekend-minimal', cron: '0 0 * * 6', timezone: 'UTC', duration: '2d', maxReplicas: 2 },
    { name: 'quiet-saturday-morning', from: '2026-11-28T06:00', to: '2026-11-28T12:00', min: 1, max: 4 },
  ],
});

describe('schedule caps', () => {
  it.each([
    { time: '2026-11-27T23:59:59', cap: undefined, active: [] },
    { time: '2026-11-28T00:00:00', cap: 'weekend-minimal', active: ['weekend-minimal'] },
    { time: '2026-11-28T07:00:00', cap: 'weekend-minimal', active: ['weekend-minimal', 'quiet-saturday-morning'] },
    { time: '2026-11-29T23:59:59', cap: 'weekend-minimal', active: ['weekend-minimal'] },
    { time: '2026-11-30T00:00:00', cap: undefined, active: [] },
  ])('at $time UTC the lowest cap is from $cap', ({ time, cap, active }) => {
    const now = instant(time);
    expect(scheduleCap(capped.schedules, now)?.schedule.name).toBe(cap);
    expect(activeSchedules(capped.schedules, now).map((a) => a.schedule.name)).toEqual(active);
  });
});

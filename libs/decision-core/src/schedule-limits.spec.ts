import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { nextWakeAt } from './next-wake';
import { emptyState, type TargetState } from './state';
import { testPolicy } from './testing';

const instant = (text: string) => Date.parse(`${text}Z`);

/** Evaluates at each time with the given CPU, as the engine does; decisions count as applied at once. */
function run(policy: ReturnType<typeof testPolicy>, steps: [time: string, cpu: number][], initial: number) {
  let state: TargetState = emptyState(initial);
  const decisions = [];
  const values: number[] = [];
  for (const [time, cpu] of steps) {
    const result = evaluate({
      policy,
      state,
      samples: [{ metric: 'cpu_utilization', value: cpu, timestamp: instant(time) }],
    });
    state = result.state;
    decisions.push(...result.decisions);
    values.push(state.current!);
  }
  return { decisions, values, state };
}

const cpu = [{ metric: 'cpu_utilization', target: { type: 'Utilization', averageUtilization: 70 } }];
const behavior = {
  scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
};

// Runbook 003 l.494-509, as examples/policies/sergas-api-server.yaml writes it: minReplicas 3, maxReplicas 20, a
// floor of 20 from 09:30 to 14:00 on the launch day (2026-11-23, the example's date) and on no other day.
const sergas = testPolicy({
  minReplicas: 3,
  maxReplicas: 20,
  metrics: cpu,
  behavior,
  schedules: [
    { name: 'launch-pre-scale', from: '2026-11-23T09:30', to: '2026-11-23T14:00', timezone: 'UTC', minReplicas: 20 },
  ],
});

describe('one-off schedule floors', () => {
  it('hold the floor over [from, to) only, and let the metrics scale down once it ends', () => {
    const { values, decisions } = run(
      sergas,
      [
        ['2026-11-23T09:29:59', 70],
        ['2026-11-23T09:30:00', 70],
        ['2026-11-23T13:59:59', 10],
        ['2026-11-23T14:00:00', 10],
        ['2026-11-23T14:05:00', 10],
      ],
      3,
    );
    // At 14:00 the floor is gone and the metrics' low asks apply (stabilization remembers recommendations, not
    // the floored value), as fast as the scale-down rate policy allows: 50 % a minute.
    expect(values).toEqual([3, 20, 20, 10, 5]);
    expect(decisions[0]!.explanation.trigger).toEqual({ kind: 'schedule', name: 'launch-pre-scale' });
    expect(decisions[0]!.explanation.constraints.find((c) => c.name === 'schedule-floor')).toMatchObject({
      before: 3,
      after: 20,
      detail: expect.stringContaining('launch-pre-scale (2026-11-23T09:30:00.000Z to 2026-11-23T14:00:00.000Z)'),
    });
    expect(decisions[1]!.explanation.trigger.kind).toBe('metric');
  });

  it('leave an idle Tuesday alone, which the weekday cron it replaces scaled from 3 to 20', () => {
    const tuesday = run(sergas, [['2026-11-24T09:30:00', 70]], 3);
    expect(tuesday.decisions).toEqual([]);
    const weekdayCron = testPolicy({
      minReplicas: 3,
      maxReplicas: 20,
      metrics: cpu,
      schedules: [{ name: 'launch-pre-scale', cron: '30 9 * * 1-5', duration: '4h30m', minReplicas: 20 }],
    });
    expect(run(weekdayCron, [['2026-11-24T09:30:00', 70]], 3).values).toEqual([20]);
  });

  it('wake the timer at from and at to, and never after', () => {
    const state = emptyState(3);
    expect(nextWakeAt(sergas, state, instant('2026-11-22T12:00:00'))).toBe(instant('2026-11-23T09:30:00'));
    expect(nextWakeAt(sergas, state, instant('2026-11-23T09:30:00'))).toBe(instant('2026-11-23T14:00:00'));
    expect(nextWakeAt(sergas, state, instant('2026-11-23T14:00:00'))).toBeNull();
  });
});

// Runbook 003 l.536-538: "weekend-minimal: cron 0 0 * * 6,0, replicas 2" for a deployment whose minimum is 3.
// Saturday 2026-11-28 00:00 UTC to Monday 00:00.
const weekend = (limits: Record<string, number | undefined>) =>
  testPolicy({
    minReplicas: 3,
    maxReplicas: 20,
    metrics: cpu,
    behavior,
    schedules: [{ name: 'weekend-minimal', cron: '0 0 * * 6', timezone: 'UTC', duration: '2d', ...limits }],
  });

describe('schedule caps', () => {
  it.each([{ maxReplicas: 2 }, { max: 2 }, { min: 1, max: 2 }])(
    'go below minReplicas with %o: 3 → 2 for the weekend, held against load, and back to 3 on Monday',
    (limits) => {
      const { values, decisions } = run(
        weekend(limits),
        [
          ['2026-11-27T23:59:00', 70],
          ['2026-11-28T00:00:00', 70],
          // A load that asks for 4: the cap holds, and 2 is not "below minReplicas" while the window lasts.
          ['2026-11-28T12:00:00', 140],
          ['2026-11-29T23:59:59', 140],
          ['2026-11-30T00:00:00', 70],
        ],
        3,
      );
      expect(values).toEqual([3, 2, 2, 2, 3]);
      expect(decisions[0]).toMatchObject({ from: 3, to: 2, explanation: { trigger: { kind: 'schedule' } } });
      expect(decisions[0]!.explanation.trigger.name).toBe('weekend-minimal');
      expect(decisions[0]!.explanation.constraints.find((c) => c.name === 'schedule-cap')).toMatchObject({
        before: 3,
        after: 2,
        detail: expect.stringContaining('weekend-minimal (0 0 * * 6 UTC) holds at most 2'),
      });
      // Monday: the policy's bounds are back, and 2 walks in through the out-of-bounds path.
      expect(decisions[1]).toMatchObject({ from: 2, to: 3, explanation: { trigger: { kind: 'control' } } });
    },
  );

  it('bring a value above the cap down past the rate policies, but no faster than maxStep', () => {
    const policy = testPolicy({
      minReplicas: 3,
      maxReplicas: 20,
      maxStep: 4,
      metrics: cpu,
      behavior,
      schedules: [{ name: 'weekend-minimal', cron: '0 0 * * 6', duration: '2d', maxReplicas: 2 }],
    });
    const steps: [string, number][] = [
      ['2026-11-28T00:00:00', 70],
      ['2026-11-28T00:00:15', 70],
      ['2026-11-28T00:00:30', 70],
    ];
    expect(run(policy, steps, 10).values).toEqual([6, 2, 2]);
  });

  it("hold with every metric missing: the cap is the schedule's, not a guess from the metrics", () => {
    const result = evaluate({ policy: weekend({ max: 2 }), state: emptyState(5), now: instant('2026-11-28T00:00:00') });
    expect(result.decisions[0]).toMatchObject({ from: 5, to: 2, explanation: { trigger: { kind: 'schedule' } } });
  });

  it('let a floor below minReplicas scale down to it, and lift it back when the window ends', () => {
    const policy = weekend({ min: 1 });
    const { values } = run(
      policy,
      [
        ['2026-11-28T00:00:00', 10],
        ['2026-11-28T00:05:01', 10],
        ['2026-11-30T00:00:00', 10],
      ],
      3,
    );
    expect(values).toEqual([3, 1, 3]);
  });
});

describe('overlapping schedules', () => {
  const overlapping = (schedules: Record<string, unknown>[]) =>
    testPolicy({ minReplicas: 3, maxReplicas: 20, metrics: cpu, behavior: {}, schedules });
  const always = { cron: '0 0 * * *', duration: '1d' };

  it.each([
    {
      case: 'the lowest cap wins',
      schedules: [
        { name: 'a', ...always, max: 8 },
        { name: 'b', ...always, max: 5 },
      ],
      cpu: 280,
      to: 5,
      by: 'b',
    },
    {
      case: 'the highest floor wins',
      schedules: [
        { name: 'a', ...always, min: 8 },
        { name: 'b', ...always, min: 12 },
      ],
      cpu: 10,
      to: 12,
      by: 'b',
    },
    {
      case: 'a floor and a cap that agree make a range: load asks for 16, the cap says 7',
      schedules: [
        { name: 'floor', ...always, min: 6 },
        { name: 'cap', ...always, max: 7 },
      ],
      cpu: 280,
      to: 7,
      by: 'cap',
    },
    {
      case: 'a floor and a cap that agree make a range: no load, the floor says 6',
      schedules: [
        { name: 'floor', ...always, min: 6 },
        { name: 'cap', ...always, max: 7 },
      ],
      cpu: 10,
      to: 6,
      by: 'floor',
    },
  ])('$case', ({ schedules, cpu: load, to, by }) => {
    const { decisions } = run(overlapping(schedules), [['2026-11-24T12:00:00', load]], 4);
    expect(decisions[0]).toMatchObject({ from: 4, to, explanation: { trigger: { kind: 'schedule', name: by } } });
  });

  it('a floor above a cap wins: capacity is the safer mistake', () => {
    const policy = overlapping([
      { name: 'launch', ...always, min: 10 },
      { name: 'weekend-minimal', ...always, max: 4 },
    ]);
    const { decisions, values } = run(
      policy,
      [
        ['2026-11-24T12:00:00', 10],
        ['2026-11-24T12:10:00', 10],
      ],
      6,
    );
    expect(values).toEqual([10, 10]);
    const constraints = decisions[0]!.explanation.constraints;
    expect(constraints.map((c) => c.name)).toContain('schedule-cap');
    expect(constraints.find((c) => c.name === 'schedule-cap')!.detail).toMatch(/below the floor 10: the floor wins/);
    expect(constraints.find((c) => c.name === 'schedule-floor')).toMatchObject({ after: 10 });
    expect(decisions[0]!.explanation.trigger).toEqual({ kind: 'schedule', name: 'launch' });
  });
});

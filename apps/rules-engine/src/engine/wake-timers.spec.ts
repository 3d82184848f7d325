import { emptyState, type TargetState } from '@surge/decision-core';
import { parsePolicyText } from '@surge/policy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WakeTimers } from './wake-timers';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const [policy] = parsePolicyText(
  `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: web }
spec:
  target: { id: shop/web, kind: Deployment }
  minReplicas: 1
  maxReplicas: 10
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
  rules:
    - { name: queue-deep, when: { metric: queue_depth, op: ">", value: 100, for: 30s }, action: { scaleBy: "+1" } }
`,
  'web.yaml',
);

/** The rule has held since `since` (event time), and the last evaluation ran at `evaluatedAt`. */
const holding = (since: number, evaluatedAt: number): TargetState => ({
  ...emptyState(2),
  lastEvaluatedAt: evaluatedAt,
  rules: { 'queue-deep': { holdingSince: since, lastFiredAt: null, target: null } },
});

describe('WakeTimers', () => {
  let wakes: [string, number][];
  let timers: WakeTimers;
  beforeEach(() => {
    vi.useFakeTimers();
    wakes = [];
    timers = new WakeTimers((targetId, wakeAt) => wakes.push([targetId, wakeAt]));
  });
  afterEach(() => {
    timers.clear();
    vi.useRealTimers();
  });

  it('wakes a target when its `for` window expires, counted in event time from the last evaluation', () => {
    // The window opened at T0 and the last evaluation was 10 s later: the wake-up is 20 s away, due at T0 + 30 s.
    timers.schedule(policy!, holding(T0, T0 + 10_000));
    vi.advanceTimersByTime(19_999);
    expect(wakes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(wakes).toEqual([['shop/web', T0 + 30_000]]);
  });

  it('counts from a later clock when one is given: a plan result folded in after the last evaluation', () => {
    // Last evaluated at T0 + 10 s, but a result moved the target's clock to T0 + 25 s: 5 s to the wake-up.
    timers.schedule(policy!, holding(T0, T0 + 10_000), T0 + 25_000);
    vi.advanceTimersByTime(4_999);
    expect(wakes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(wakes).toEqual([['shop/web', T0 + 30_000]]);
  });

  it('replaces a target’s timer with the one for its newest state, and sets none when nothing is due', () => {
    // Due at T0 + 30 s, 30 s away; then a break and a new breach from T0 + 5 s, evaluated at T0 + 10 s: 25 s away.
    timers.schedule(policy!, holding(T0, T0));
    timers.schedule(policy!, holding(T0 + 5_000, T0 + 10_000));
    vi.advanceTimersByTime(25_000);
    expect(wakes).toEqual([['shop/web', T0 + 35_000]]);
    vi.advanceTimersByTime(60_000);
    expect(wakes).toHaveLength(1);

    timers.schedule(policy!, holding(T0, T0));
    timers.schedule(policy!, { ...emptyState(2), lastEvaluatedAt: T0 });
    vi.advanceTimersByTime(60_000);
    expect(wakes).toHaveLength(1);
  });

  it('sets nothing after clear', () => {
    timers.schedule(policy!, holding(T0, T0));
    timers.clear();
    vi.advanceTimersByTime(60_000);
    expect(wakes).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { MAX_WINDOW_POINTS, observeWindows, windowAverage } from './metric-window';
import { nextWakeAt } from './next-wake';
import { emptyState, type TargetState } from './state';
import { testPolicy } from './testing';

const at = (seconds: number) => 1_000_000 + seconds * 1000;

/** Evaluates each CPU sample in turn; decisions count as applied at once, as the engine sees them echoed. */
function run(policy: ReturnType<typeof testPolicy>, steps: [seconds: number, cpu: number][], initial = 4) {
  let state: TargetState = emptyState(initial);
  const decisions = [];
  const notes: string[] = [];
  for (const [seconds, cpu] of steps) {
    const result = evaluate({
      policy,
      state,
      samples: [{ metric: 'cpu_utilization', value: cpu, timestamp: at(seconds) }],
    });
    state = result.state;
    decisions.push(...result.decisions);
    notes.push(...result.decisions.map((d) => d.explanation.metrics[0]!.note ?? ''));
  }
  return { state, decisions, notes };
}

// Runbook 001 l.60: "CPU above 70 % for 5 minutes: add capacity". Behavior that acts at once, so the hold is the
// only thing between a breach and a decision.
const immediate = {
  scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};
const sustained = testPolicy({
  minReplicas: 1,
  maxReplicas: 20,
  behavior: immediate,
  metrics: [{ metric: 'cpu_utilization', target: { type: 'Utilization', averageUtilization: 70 }, for: '5m' }],
});

describe('a metric with for', () => {
  it('asks for nothing until the breach has held for its duration, then for HPA’s value', () => {
    const { decisions, notes } = run(sustained, [
      [0, 90],
      [120, 90],
      [299, 90],
      [300, 90],
    ]);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ from: 4, to: 6 });
    expect(decisions[0]!.eventTime).toBe(at(300));
    expect(notes[0]).toMatch(/above its target for 300s of 300s: due/);
  });

  it('starts over when the metric comes back to its side of the target', () => {
    const { decisions } = run(sustained, [
      [0, 90],
      [200, 60],
      [250, 90],
      [500, 90],
      [550, 90],
    ]);
    // The breach that counts began at 250: due at 550, not at 300.
    expect(decisions.map((d) => d.eventTime)).toEqual([at(550)]);
  });

  it('acts on a breach within HPA’s tolerance once held: 75 % against 70 % for 5 minutes is a breach', () => {
    const { decisions } = run(sustained, [
      [0, 75],
      [300, 75],
    ]);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ from: 4, to: 5 });
  });

  it('holds scale-downs too, and wakes the engine when a hold falls due', () => {
    const { state, decisions } = run(sustained, [[0, 20]]);
    expect(decisions).toHaveLength(0);
    expect(state.metricHolds).toEqual({ cpu_utilization: { direction: 'below', since: at(0) } });
    expect(nextWakeAt(sustained, state, at(10))).toBe(at(300));
  });

  it('keeps no hold for a policy without for, so its stored state does not grow', () => {
    const plain = testPolicy({
      minReplicas: 1,
      maxReplicas: 20,
      behavior: immediate,
      metrics: [{ metric: 'cpu_utilization', target: { type: 'Utilization', averageUtilization: 70 } }],
    });
    const { state, decisions } = run(plain, [[0, 90]]);
    expect(decisions).toHaveLength(1);
    expect(state.metricHolds).toBeUndefined();
    expect(state.metricWindows).toBeUndefined();
  });
});

describe('a metric with window', () => {
  const windowed = testPolicy({
    minReplicas: 1,
    maxReplicas: 20,
    behavior: immediate,
    metrics: [{ metric: 'cpu_utilization', target: { type: 'Utilization', averageUtilization: 70 }, window: '2m' }],
  });

  it('reads its time-weighted average, so one spike does not scale', () => {
    // 60 % for 110 s, then a 10 s spike to 200 %: the 2-minute average is about 71 %, within tolerance.
    const { decisions } = run(windowed, [
      [0, 60],
      [110, 200],
      [120, 60],
    ]);
    expect(decisions).toHaveLength(0);
  });

  it('scales once the average itself is beyond the target, and says it averaged', () => {
    const { decisions, notes } = run(windowed, [
      [0, 100],
      [60, 100],
      [120, 100],
    ]);
    expect(decisions[0]).toMatchObject({ from: 4, to: 6 });
    expect(notes[0]).toMatch(/^120s average; usage ratio/);
  });

  it('averages over the part of the window it has, and prunes what the window no longer sees', () => {
    expect(
      windowAverage(
        [
          [0, 10],
          [30_000, 30],
        ],
        60_000,
        120,
      ),
    ).toBe(20);
    const windows = observeWindows(
      { cpu: [[0, 1]] },
      [{ metric: 'cpu', type: 'Value', target: 1, windowSeconds: 60 }],
      [
        { metric: 'cpu', value: 2, timestamp: 50_000 },
        { metric: 'cpu', value: 3, timestamp: 120_000 },
      ],
      120_000,
    );
    // The point at 0 is gone; the one at 50 s covers the window's start at 60 s.
    expect(windows).toEqual({
      cpu: [
        [50_000, 2],
        [120_000, 3],
      ],
    });
  });

  it('keeps at most MAX_WINDOW_POINTS points without moving the average', () => {
    const metric = { metric: 'cpu', type: 'Value' as const, target: 1, windowSeconds: 3600 };
    const samples = Array.from({ length: 500 }, (_, i) => ({ metric: 'cpu', value: i % 7, timestamp: i * 1000 }));
    const capped = observeWindows(undefined, [metric], samples, 499_000)!['cpu']!;
    expect(capped.length).toBeLessThanOrEqual(MAX_WINDOW_POINTS);
    // Each sample holds for 1 s until the next; the last, at `now`, for none.
    const exact = samples.slice(0, -1).reduce((sum, sample) => sum + sample.value, 0) / 499;
    expect(windowAverage(capped, 499_000, 3600)).toBeCloseTo(exact, 6);
  });
});

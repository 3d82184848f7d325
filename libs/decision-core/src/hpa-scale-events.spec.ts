import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { storeScaleEvent } from './scaling-policies';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

describe("HPA's scale events (horizontal.go: storeScaleEvent, getReplicasChangePerPeriod)", () => {
  it('storeScaleEvent replaces the first outdated event of its direction, or appends', () => {
    const events = [
      { time: at(0), change: 1 },
      { time: at(10), change: 2 },
      { time: at(100), change: 3 },
    ];
    // At 130 s with a 60 s longest period, the events at 0 and 10 are outdated: only the first is replaced.
    expect(storeScaleEvent(events, { time: at(130), change: 9 }, 60, at(130))).toEqual([
      { time: at(130), change: 9 },
      { time: at(10), change: 2 },
      { time: at(100), change: 3 },
    ]);
    expect(storeScaleEvent(events, { time: at(101), change: 9 }, 600, at(101))).toHaveLength(4);
  });

  it('a scale-up leaves the scale-down events alone, so a longer scale-up period still counts them', () => {
    // Scale-up: +4 pods per 600 s. Scale-down: up to 10 pods per 60 s. No stabilization either way.
    const policy = testPolicy({
      minReplicas: 1,
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 4, periodSeconds: 600 }] },
        scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 10, periodSeconds: 60 }] },
      },
    });
    let state: TargetState = emptyState(10);
    const values: number[] = [];
    for (const [seconds, utilization] of [
      [0, 20], // 10 → 4: a scale-down of 6
      [120, 150], // 4 → 12: the period started at 4 + 6 = 10, so up to 14 is allowed
      [180, 90], // wants 22; the 600 s period started at 12 - 8 + 6 = 10: up to 14
    ] as const) {
      const result = evaluate({
        policy,
        state,
        samples: [{ metric: 'cpu_utilization', value: utilization, timestamp: at(seconds) }],
      });
      state = result.state;
      values.push(state.current!);
    }
    // Pruning the scale-down list at the scale-up of 120 s (by the scale-down's own 60 s period) would have
    // forgotten the 6 removed, started the period at 4 and held the target at 12.
    expect(values).toEqual([4, 12, 14]);
  });
});

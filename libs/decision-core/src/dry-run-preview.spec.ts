import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

// +4 pods per minute, no stabilization: each minute of a heavy load is one step of 4.
const behavior = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }],
  },
};

/**
 * One evaluation a minute under a load that wants far more. `applied` says whether the observed value follows
 * the decisions (a live executor) or stays where it was (a dry run, where nothing is applied).
 */
function climb(dryRun: boolean, minutes: number, applied: boolean, start: TargetState = emptyState(2)) {
  const policy = testPolicy({ dryRun, behavior });
  let state = start;
  let observed = start.current!;
  const decisions = [];
  for (let minute = 0; minute < minutes; minute += 1) {
    const timestamp = at(60 * minute);
    const samples = [
      { metric: 'replicas', value: observed, timestamp },
      { metric: 'cpu_utilization', value: 500, timestamp },
    ];
    const result = evaluate({ policy, state, samples });
    state = result.state;
    for (const decision of result.decisions) {
      decisions.push(decision);
      if (applied) observed = decision.to;
    }
  }
  return { decisions, state };
}

/** The three-minute dry climb, then one live evaluation at 150 s: the real value 2, the given utilization. */
function liveAfterClimb(utilization: number) {
  const dry = climb(true, 3, false);
  const samples = [
    { metric: 'replicas', value: 2, timestamp: at(150) },
    { metric: 'cpu_utilization', value: utilization, timestamp: at(150) },
  ];
  return evaluate({ policy: testPolicy({ behavior }), state: dry.state, samples });
}

describe('dry-run: a faithful preview', () => {
  it('climbs 2 → 6 → 10 → 14 as the live run does, although nothing is applied', () => {
    const live = climb(false, 3, true);
    const dry = climb(true, 3, false);
    expect(live.decisions.map((d) => [d.from, d.to])).toEqual([
      [2, 6],
      [6, 10],
      [10, 14],
    ]);
    expect(dry.decisions.map((d) => [d.from, d.to])).toEqual(live.decisions.map((d) => [d.from, d.to]));
    expect(dry.decisions.every((d) => d.dryRun)).toBe(true);
  });

  it('keeps the live value and rate budget untouched by the changes it previews', () => {
    const { state } = climb(true, 3, false);
    expect(state.current).toBe(2);
    expect(state.scaleUpEvents).toEqual([]);
    expect(state.lastScaleTime).toBeNull();
    expect(state.preview?.current).toBe(14);
    // As HPA's storeScaleEvent keeps them: the step of minute 2 took the place of the outdated one of minute 0.
    expect(state.preview?.scaleUpEvents).toEqual([
      { time: at(120), change: 4 },
      { time: at(60), change: 4 },
    ]);
  });

  it('drops the preview when the dry run ends: the live run starts from what is really there', () => {
    const result = liveAfterClimb(500);
    // A budget spent by the preview would have held this to nothing until a minute after the last preview step.
    expect(result.decisions.map((d) => [d.from, d.to])).toEqual([[2, 6]]);
    expect(result.state.preview).toBeUndefined();
  });

  it('keeps the recommendations it worked out to itself: leaving dry-run is stabilized by live ones only', () => {
    // The load is gone; the real value is still 2. The preview's recommendations (20 and more) would hold the
    // scale-down window's highest and scale the live target up.
    const result = liveAfterClimb(10);
    expect(result.decisions).toEqual([]);
    expect(Math.max(...result.state.recommendations.map((r) => r.value))).toBeLessThanOrEqual(2);
  });

  it('runs on the clock of every sample, the observed value included', () => {
    const policy = testPolicy({ dryRun: true, behavior });
    const result = evaluate({
      policy,
      state: emptyState(2),
      samples: [{ metric: 'replicas', value: 2, timestamp: at(30) }],
    });
    expect(result.state.lastEvaluatedAt).toBe(at(30));
  });
});

import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { nextWakeAt } from './next-wake';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

// Runbook 001's recovery: "when it has been quiet for 15 minutes, scale back down gradually, 10 → 6 → 4 → 2,
// one step per 5 minutes", on a policy made only of rules, which before recovery never scaled down at all.
const immediateDown = {
  scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 1000, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};
const rulesOnly = (recovery?: object) =>
  testPolicy({
    minReplicas: 2,
    maxReplicas: 20,
    metrics: [],
    behavior: immediateDown,
    rules: [
      {
        name: 'queue-backlog',
        when: { metric: 'queue_depth', op: '>', value: 500 },
        for: '2m',
        action: { scaleTo: 10 },
        ...(recovery ? { recovery } : {}),
      },
    ],
  });

function drive(policy: ReturnType<typeof rulesOnly>, steps: [seconds: number, depth: number | null][]) {
  let state: TargetState = emptyState(2);
  const values: [number, number][] = [];
  for (const [seconds, depth] of steps) {
    const out = evaluate({
      policy,
      state,
      now: at(seconds),
      samples: depth === null ? [] : [{ metric: 'queue_depth', value: depth, timestamp: at(seconds) }],
    });
    state = out.state;
    for (const decision of out.decisions) values.push([seconds, decision.to]);
  }
  return { values, state };
}

describe('an action rule’s recovery', () => {
  it('holds through the quiet period, then walks back one move per every, and lets go at the baseline', () => {
    const { values, state } = drive(rulesOnly({ after: '15m', every: '5m', through: [6, 4] }), [
      [0, 900],
      [120, 900],
      [300, 100],
      [1199, 100],
      [1200, 100],
      [1499, null],
      [1500, null],
      [1800, null],
      [2100, null],
    ]);
    expect(values).toEqual([
      [120, 10],
      [1200, 6],
      [1500, 4],
      [1800, 2],
    ]);
    expect(state.rules['queue-backlog']).toEqual({ holdingSince: null, lastFiredAt: null, target: null });
  });

  it('asks for a wake-up at the end of the quiet period and at each move, so no sample is needed', () => {
    const { state } = drive(rulesOnly({ after: '15m', every: '5m', through: [6, 4] }), [
      [0, 900],
      [120, 900],
      [300, 100],
    ]);
    expect(nextWakeAt(rulesOnly({ after: '15m', every: '5m', through: [6, 4] }), state, at(300))).toBe(at(1200));
  });

  it('keeps the first baseline when the breach comes back midway, and never recovers without a recovery', () => {
    const policy = rulesOnly({ after: '15m', every: '5m', through: [6, 4] });
    const { values } = drive(policy, [
      [0, 900],
      [120, 900],
      [300, 100],
      [1200, 100],
      [1300, 900],
      [1420, 900],
      [1500, 100],
      [2400, 100],
      [2700, null],
      [3000, null],
    ]);
    // Back to 10 at 1420 (a new firing), then down again to 2, the value before the first breach.
    expect(values).toEqual([
      [120, 10],
      [1200, 6],
      [1420, 10],
      [2400, 6],
      [2700, 4],
      [3000, 2],
    ]);
    const plain = drive(rulesOnly(), [
      [0, 900],
      [120, 900],
      [300, 100],
      [3000, 100],
    ]);
    expect(plain.values).toEqual([[120, 10]]);
  });
});

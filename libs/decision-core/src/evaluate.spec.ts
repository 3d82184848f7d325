import { scaleDecision } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

type Step = [seconds: number, samples: Record<string, number>];

/** Feeds samples through the core as the simulator does; decisions count as applied at once. */
function run(policy = testPolicy(), steps: Step[], initial = 4) {
  let state: TargetState = emptyState(initial);
  const decisions = [];
  const values: number[] = [];
  for (const [seconds, samples] of steps) {
    const result = evaluate({
      policy,
      state,
      samples: Object.entries(samples).map(([metric, value]) => ({ metric, value, timestamp: at(seconds) })),
    });
    state = result.state;
    decisions.push(...result.decisions);
    values.push(state.current!);
  }
  return { decisions, values, state };
}

describe('evaluate: HPA v2 semantics end to end', () => {
  it('scales up with the default rate policies: +4 pods or doubling per 15 s, whichever is more', () => {
    const load: Step[] = [0, 5, 15, 30, 45].map((s) => [s, { cpu_utilization: 500 }]);
    // `behavior: {}` names a behavior, so the API's defaults fill it (SetDefaults_HorizontalPodAutoscalerBehavior).
    const { values } = run(testPolicy({ behavior: {} }), load, 1);
    // 1 -> 5 (Pods 4), within 15 s no more, then 5 -> 10 (Percent 100 beats +4), 10 -> 20, 20 -> 40.
    expect(values).toEqual([5, 5, 10, 20, 40]);
  });

  it('without any behavior, takes the legacy path: max(2 × current, 4) per 15 s sync (normalizeDesiredReplicas)', () => {
    const load: Step[] = [0, 5, 15, 30, 45].map((s) => [s, { cpu_utilization: 500 }]);
    // calculateScaleUpLimit: 1 -> max(2, 4) = 4, nothing more within the sync period, then 8, 16, 32.
    expect(run(testPolicy(), load, 1).values).toEqual([4, 4, 8, 16, 32]);
  });

  it('without any behavior, holds the highest recommendation of the last 5 minutes both ways (stabilizeRecommendation)', () => {
    const steps: Step[] = [
      [0, { cpu_utilization: 100 }], // 4 -> 8
      [60, { cpu_utilization: 25 }], // wants 4: the 8 of a minute ago holds
      [120, { cpu_utilization: 75 }], // wants 12 from 8; no older answer is higher
      [180, { cpu_utilization: 40 }], // wants 10: the 12 of a minute ago holds
      [420, { cpu_utilization: 40 }], // exactly 300 s after the 12, which still counts (only Before(cutoff) is old)
      [421, { cpu_utilization: 40 }], // then down to 10
    ];
    expect(run(testPolicy(), steps, 4).values).toEqual([8, 8, 12, 12, 12, 10]);
  });

  it('holds a scale-down for the 300 s default stabilization window', () => {
    const steps: Step[] = [
      [0, { cpu_utilization: 100 }],
      [60, { cpu_utilization: 25 }],
      [299, { cpu_utilization: 25 }],
      [301, { cpu_utilization: 25 }],
    ];
    const { values } = run(testPolicy(), steps, 4);
    expect(values).toEqual([8, 8, 8, 4]);
  });

  it('emits only when the value changes, but every evaluation enters the stabilization history', () => {
    const steps: Step[] = [
      [0, { cpu_utilization: 50 }],
      [10, { cpu_utilization: 52 }],
      [20, { cpu_utilization: 53 }],
    ];
    const { decisions, state } = run(testPolicy(), steps, 4);
    expect(decisions).toHaveLength(0);
    // Equal recommendations collapse into the newest: it answers every window the older ones would.
    expect(state.recommendations).toEqual([{ time: at(20), value: 4 }]);
  });

  it('skips a scale-down while a metric is missing, but still scales up', () => {
    const policy = testPolicy({
      metrics: [
        { metric: 'cpu_utilization', target: { type: 'Utilization', averageUtilization: 50 } },
        { metric: 'http_requests_per_second', target: { type: 'AverageValue', averageValue: 100 } },
      ],
      metricStaleness: '30s',
    });
    let result = evaluate({
      policy,
      state: emptyState(10),
      samples: [{ metric: 'cpu_utilization', value: 10, timestamp: at(0) }],
    });
    expect(result.decisions).toHaveLength(0);
    expect(result.skipped).toMatch(/scale-down skipped: http_requests_per_second missing/);
    // Only the seed of a new target: the skipped evaluation records nothing of its own.
    expect(result.state.recommendations).toEqual([{ time: at(0), value: 10 }]);
    result = evaluate({
      policy,
      state: result.state,
      samples: [{ metric: 'cpu_utilization', value: 100, timestamp: at(5) }],
    });
    expect(result.decisions[0]).toMatchObject({ from: 10, to: 20, direction: 'up' });
  });

  it('does nothing when every metric is missing', () => {
    const result = evaluate({ policy: testPolicy(), state: emptyState(4), now: at(0) });
    expect(result.decisions).toHaveLength(0);
    expect(result.skipped).toBe('every metric is missing');
  });

  it('brings a value outside [min, max] back to the bound at once', () => {
    const result = evaluate({
      policy: testPolicy({ minReplicas: 2, maxReplicas: 6 }),
      state: emptyState(9),
      samples: [{ metric: 'cpu_utilization', value: 50, timestamp: at(0) }],
    });
    expect(result.decisions[0]).toMatchObject({
      from: 9,
      to: 6,
      explanation: { trigger: { kind: 'control', name: 'bounds' } },
    });
  });

  it('brings a value far outside [min, max] back by maxStep at a time, each decision pointing the way it moves', () => {
    const policy = testPolicy({ minReplicas: 5, maxReplicas: 10, maxStep: 3 });
    const sample = [{ metric: 'cpu_utilization', value: 50, timestamp: at(0) }];
    const above = evaluate({ policy, state: emptyState(1_000_000), samples: sample });
    expect(above.decisions[0]).toMatchObject({ from: 1_000_000, to: 999_997, direction: 'down' });
    expect(above.decisions[0]!.explanation.constraints.map((c) => c.name)).toEqual(['bounds', 'max-step']);
    const below = evaluate({ policy, state: emptyState(0.5), samples: sample });
    expect(below.decisions[0]).toMatchObject({ from: 0.5, to: 3.5, direction: 'up' });
  });

  it('seeds a new or lost state with the current value, so its first low reading scales down only after the window', () => {
    const policy = testPolicy({ behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } });
    const steps: Step[] = [
      [0, { cpu_utilization: 5 }],
      [299, { cpu_utilization: 5 }],
      [301, { cpu_utilization: 5 }],
    ];
    const { values, decisions } = run(policy, steps, 10);
    expect(values).toEqual([10, 10, 1]);
    expect(decisions[0]).toMatchObject({ from: 10, to: 1, direction: 'down' });
  });

  it('applies min/max last and explains every constraint in order', () => {
    const policy = testPolicy({ maxReplicas: 7, maxStep: 5 });
    const { decisions } = run(policy, [[0, { cpu_utilization: 500 }]], 4);
    const decision = scaleDecision.parse(decisions[0]);
    expect(decision.to).toBe(7);
    expect(decision.explanation.constraints.map((c) => c.name)).toEqual([
      'tolerance',
      'stabilization',
      'policy-limit',
      'max-step',
      'bounds',
    ]);
    expect(decision.explanation.constraints.map((c) => [c.before, c.after])).toEqual([
      [40, 40],
      [40, 40],
      [40, 8],
      [8, 8],
      [8, 7],
    ]);
    expect(decision.explanation.metrics[0]).toMatchObject({
      metric: 'cpu_utilization',
      value: 500,
      target: 50,
      recommendation: 40,
    });
    expect(decision.explanation.winner).toBe('metric cpu_utilization');
  });

  it('limits one decision to maxStep', () => {
    const { values } = run(
      testPolicy({ maxStep: 2 }),
      [
        [0, { cpu_utilization: 500 }],
        [20, { cpu_utilization: 500 }],
      ],
      4,
    );
    expect(values).toEqual([6, 8]);
  });

  it('never scales a paused policy, and marks dry-run decisions', () => {
    expect(run(testPolicy({ paused: true }), [[0, { cpu_utilization: 500 }]]).decisions).toHaveLength(0);
    const dry = run(testPolicy({ dryRun: true }), [[0, { cpu_utilization: 100 }]]).decisions;
    expect(dry[0]).toMatchObject({ dryRun: true, to: 8 });
  });

  it('learns the current value from samples of its setting', () => {
    const { values } = run(testPolicy(), [[0, { replicas: 2, cpu_utilization: 100 }]], 9);
    expect(values).toEqual([4]);
  });

  it('gives the same decision ids for the same inputs, and different ones for another policy version', () => {
    const a = run(testPolicy(), [[0, { cpu_utilization: 100 }]]).decisions[0]!;
    const b = run(testPolicy(), [[0, { cpu_utilization: 100 }]]).decisions[0]!;
    const c = run(testPolicy({ maxReplicas: 99 }), [[0, { cpu_utilization: 100 }]]).decisions[0]!;
    expect(a.decisionId).toBe(b.decisionId);
    expect(a).toEqual(b);
    expect(c.decisionId).not.toBe(a.decisionId);
  });

  it('keeps its state as plain JSON', () => {
    const { state } = run(testPolicy(), [
      [0, { cpu_utilization: 100 }],
      [400, { cpu_utilization: 10 }],
    ]);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('scales value-typed settings in steps', () => {
    const policy = testPolicy({
      target: { id: 'demo/cache', kind: 'RedisCache' },
      setting: 'maxmemory',
      minReplicas: undefined,
      maxReplicas: undefined,
      min: 64,
      max: 1024,
      step: 64,
      metrics: [{ metric: 'memory_utilization', target: { type: 'Utilization', averageUtilization: 80 } }],
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 256, periodSeconds: 15 }] } },
    });
    const result = evaluate({
      policy,
      state: emptyState(256),
      samples: [{ metric: 'memory_utilization', value: 95, timestamp: at(0) }],
    });
    // ceil(256 × 95 / 80) = 304, rounded up to the 64 step = 320.
    expect(result.decisions[0]).toMatchObject({ setting: 'maxmemory', from: 256, to: 320 });
  });
});

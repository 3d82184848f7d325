import { scaleExplanation, type ScaleExplanation } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

const DEGRADED = { metric: 'error_rate', op: '>', value: 5, for: '2m' };
const rulePolicy = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  testPolicy({
    metrics: [],
    rules: [{ name: 'p1-degradation', when: DEGRADED, severity: 'P1', action }],
    minReplicas: 1,
    maxReplicas: 10,
    behavior: {},
    ...extra,
  });

type Step = [seconds: number, samples: Record<string, number>];

function run(policy: ReturnType<typeof testPolicy>, steps: Step[], initial: number, globalPause = false) {
  let state: TargetState = emptyState(initial);
  const explanations: ScaleExplanation[] = [];
  const decided: number[] = [];
  for (const [seconds, samples] of steps) {
    const result = evaluate({
      policy,
      state,
      globalPause,
      samples: Object.entries(samples).map(([metric, value]) => ({ metric, value, timestamp: at(seconds) })),
    });
    state = result.state;
    explanations.push(...result.explanations);
    decided.push(...result.decisions.map((d) => d.to));
  }
  return { explanations, decided };
}

// Breached from 0 s: the rule fires at 120 s and, the breach lasting, again at 240 s.
const breach = (until: number): Step[] =>
  Array.from({ length: until / 30 + 1 }, (_, i) => [i * 30, { error_rate: 9 }] as Step);

describe('explanations of what was not decided', () => {
  it('explains a rule that asks beyond the max once per firing: "capped at maxReplicas"', () => {
    const { explanations, decided } = run(rulePolicy({ scaleTo: 15 }), breach(270), 10);
    expect(decided).toEqual([]);
    expect(explanations.map((e) => [e.eventTime, e.reason, e.wanted, e.current, e.decided])).toEqual([
      [at(120), 'at-max', 15, 10, 10],
      [at(240), 'at-max', 15, 10, 10],
    ]);
    expect(explanations[0]!.summary).toBe('wanted 15 by rule p1-degradation, capped at maxReplicas 10');
    expect(scaleExplanation.parse(explanations[0])).toEqual(explanations[0]);
    expect(explanations[0]!.trigger).toEqual({ kind: 'rule', name: 'p1-degradation' });
  });

  it('explains a decision short of the ask: the rate policies allow +2 per minute', () => {
    const limited = { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } };
    const { explanations, decided } = run(rulePolicy({ scaleTo: 9 }, { behavior: limited }), breach(120), 4);
    expect(decided).toEqual([6]);
    expect(explanations).toEqual([
      expect.objectContaining({ reason: 'rate-limited', wanted: 9, current: 4, decided: 6 }),
    ]);
    expect(explanations[0]!.summary).toBe('wanted 9 by rule p1-degradation, limited to 6 by the scaleUp rate policies');
  });

  it('names the last constraint that set the value: rate-limited and then capped is "capped"', () => {
    const { explanations } = run(rulePolicy({ scaleTo: 40 }, { maxReplicas: 6 }), breach(120), 4);
    expect(explanations.map((e) => [e.reason, e.decided])).toEqual([['at-max', 6]]);
  });

  it.each([
    ['paused', { paused: true }, false, 'kept at 4: policy paused'],
    ['globally-paused', {}, true, 'kept at 4: globally paused'],
  ])('explains a firing under a pause as %s', (reason, extra, globalPause, phrase) => {
    const { explanations, decided } = run(rulePolicy({ scaleTo: 8 }, extra), breach(120), 4, globalPause);
    expect(decided).toEqual([]);
    expect(explanations.map((e) => [e.reason, e.decided, e.summary])).toEqual([
      [reason, 4, `wanted 8 by rule p1-degradation, ${phrase}`],
    ]);
  });

  it('explains nothing when the rule gets what it asked, or only notifies', () => {
    expect(run(rulePolicy({ scaleTo: 8 }), breach(120), 4).explanations).toEqual([]);
    const notifyOnly = testPolicy({ metrics: [], rules: [{ name: 'warn', when: DEGRADED }], maxReplicas: 4 });
    expect(run(notifyOnly, breach(120), 4).explanations).toEqual([]);
  });

  it('explains a metric held back once per limiting reason, not at every sample', () => {
    const cpu = testPolicy({ minReplicas: 1, maxReplicas: 10, behavior: {} });
    const steps: Step[] = [
      [0, { cpu_utilization: 200 }], // wants 40 from 10: at max
      [15, { cpu_utilization: 200 }],
      [30, { cpu_utilization: 300 }], // still at max: already told
      [45, { cpu_utilization: 50 }], // on target: nothing falls short, forgotten
      [60, { cpu_utilization: 200 }], // at max again: told again
      [75, { cpu_utilization: 10 }], // wants 2: held by the 300 s scale-down window
      [90, { cpu_utilization: 10 }],
    ];
    const { explanations } = run(cpu, steps, 10);
    expect(explanations.map((e) => [e.eventTime, e.trigger.name, e.reason, e.wanted])).toEqual([
      [at(0), 'cpu_utilization', 'at-max', 40],
      [at(60), 'cpu_utilization', 'at-max', 40],
      [at(75), 'cpu_utilization', 'stabilized', 2],
    ]);
    expect(explanations[2]!.summary).toBe(
      'wanted 2 by metric cpu_utilization, held at 10 by the scaleDown stabilization window',
    );
  });

  it('gives the same ids to a replay of the same samples', () => {
    const first = run(rulePolicy({ scaleTo: 15 }), breach(270), 10).explanations;
    expect(run(rulePolicy({ scaleTo: 15 }), breach(270), 10).explanations.map((e) => e.explanationId)).toEqual(
      first.map((e) => e.explanationId),
    );
    expect(new Set(first.map((e) => e.explanationId)).size).toBe(first.length);
  });
});

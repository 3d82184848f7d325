import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { nextWakeAt } from './next-wake';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

const latencyRule = (action: Record<string, unknown> = { scaleBy: '+50%' }, extra: Record<string, unknown> = {}) =>
  testPolicy({
    metrics: [],
    rules: [
      {
        name: 'p95-critical',
        when: { metric: 'http_p95_ms', op: '>', value: 2000, for: '10m' },
        severity: 'P0',
        action,
        ...extra,
      },
    ],
    minReplicas: 2,
    maxReplicas: 40,
    behavior: { scaleUp: { policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
  });

function feed(policy: ReturnType<typeof testPolicy>, points: [number, number][], metric = 'http_p95_ms', initial = 4) {
  let state: TargetState = emptyState(initial);
  const fired: number[] = [];
  const values: number[] = [];
  for (const [seconds, value] of points) {
    const result = evaluate({ policy, state, samples: [{ metric, value, timestamp: at(seconds) }] });
    state = result.state;
    if (result.decisions.length) fired.push(seconds);
    values.push(state.current!);
  }
  return { fired, values, state };
}

const every = (from: number, to: number, stepSeconds: number, value: number): [number, number][] =>
  Array.from({ length: Math.floor((to - from) / stepSeconds) + 1 }, (_, i) => [from + i * stepSeconds, value]);

describe('threshold rules', () => {
  it('fire only after the condition has held for `for`', () => {
    const { fired, values } = feed(latencyRule(), every(0, 590, 10, 2500));
    expect(fired).toEqual([]);
    expect(values.at(-1)).toBe(4);
    const later = feed(latencyRule(), every(0, 600, 10, 2500));
    expect(later.fired).toEqual([600]);
    expect(later.values.at(-1)).toBe(6);
  });

  it('fire once per breach, and again only after another full `for`, never on every sample', () => {
    const { fired, values } = feed(latencyRule(), every(0, 1250, 10, 2500));
    expect(fired).toEqual([600, 1200]);
    expect(values.at(-1)).toBe(9);
  });

  it('restart the clock when the condition breaks', () => {
    const points = [...every(0, 500, 10, 2500), [510, 100] as [number, number], ...every(520, 1110, 10, 2500)];
    // Held 0..500 (not long enough), broken at 510, held again from 520: due at 1120, not at 600.
    expect(feed(latencyRule(), points).fired).toEqual([]);
    expect(feed(latencyRule(), [...points, [1120, 2500]]).fired).toEqual([1120]);
  });

  it('carry severity aliases and the rule as the trigger', () => {
    let state = emptyState(4);
    let decision;
    for (const [seconds, value] of every(0, 600, 60, 2500)) {
      const result = evaluate({
        policy: latencyRule(),
        state,
        samples: [{ metric: 'http_p95_ms', value, timestamp: at(seconds) }],
      });
      state = result.state;
      decision = result.decisions[0] ?? decision;
    }
    expect(decision).toMatchObject({
      severity: 'critical',
      ruleSeverity: 'P0',
      explanation: { trigger: { kind: 'rule', name: 'p95-critical' }, winner: 'rule p95-critical' },
    });
    expect(decision!.explanation.rules[0]).toMatchObject({ name: 'p95-critical', fired: true, heldSeconds: 600 });
  });

  it('pass actions through behavior limits and bounds', () => {
    const { values } = feed(latencyRule({ scaleTo: 100 }), every(0, 620, 10, 2500), 'http_p95_ms', 4);
    // scaleTo 100 is limited to doubling per 15 s and capped at maxReplicas 40: 8, 16, then 32 at 630 s is not reached.
    expect(values.slice(-3)).toEqual([8, 8, 16]);
    const capped = feed(latencyRule({ scaleTo: 100 }), every(0, 700, 15, 2500), 'http_p95_ms', 4);
    expect(Math.max(...capped.values)).toBe(40);
  });

  it('combine conditions with all/any and safe expressions', () => {
    const policy = testPolicy({
      metrics: [],
      rules: [
        {
          name: 'both',
          when: {
            all: [
              { metric: 'cpu', op: '>', value: 70 },
              { metric: 'mem', op: '>', value: 80 },
            ],
            for: '1m',
          },
          action: { scaleBy: '+2' },
        },
        { name: 'ratio', when: { expr: 'errors / max(requests, 1) > 0.05', for: '0s' }, action: { scaleTo: 20 } },
      ],
    });
    let state = emptyState(4);
    const step = (seconds: number, values: Record<string, number>) => {
      const result = evaluate({
        policy,
        state,
        samples: Object.entries(values).map(([metric, value]) => ({ metric, value, timestamp: at(seconds) })),
      });
      state = result.state;
      return result;
    };
    step(0, { cpu: 90, mem: 90, errors: 1, requests: 100 });
    expect(step(60, { cpu: 90, mem: 90, errors: 1, requests: 100 }).decisions[0]).toMatchObject({ to: 6 });
    // scaleTo 20 is rate-limited: +2 at 60 s leaves a period start of 4 for the default policies, so at most 8.
    expect(step(70, { cpu: 90, mem: 50, errors: 10, requests: 100 }).decisions[0]).toMatchObject({
      to: 8,
      explanation: { winner: 'rule ratio' },
    });
  });

  it('tell the engine when a `for` window will expire', () => {
    const policy = latencyRule();
    let { state } = evaluate({
      policy,
      state: emptyState(4),
      samples: [{ metric: 'http_p95_ms', value: 2500, timestamp: at(0) }],
    });
    expect(nextWakeAt(policy, state, at(0))).toBe(at(600));
    state = evaluate({ policy, state, samples: [{ metric: 'http_p95_ms', value: 2500, timestamp: at(590) }] }).state;
    const timer = evaluate({ policy, state, now: at(600) });
    expect(timer.decisions[0]).toMatchObject({ from: 4, to: 6, eventTime: at(600) });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

const policyArb = fc.record({
  minReplicas: fc.integer({ min: 1, max: 5 }),
  span: fc.integer({ min: 0, max: 30 }),
  downWindow: fc.integer({ min: 0, max: 600 }),
  upWindow: fc.integer({ min: 0, max: 120 }),
  maxStep: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
});
const traceArb = fc.array(
  fc.record({
    gap: fc.integer({ min: 1, max: 120 }),
    cpu: fc.integer({ min: 0, max: 1000 }),
    replicas: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  }),
  { minLength: 1, maxLength: 60 },
);

type PolicyParams = typeof policyArb extends fc.Arbitrary<infer T> ? T : never;

function build(p: PolicyParams) {
  return testPolicy({
    minReplicas: p.minReplicas,
    maxReplicas: p.minReplicas + p.span,
    maxStep: p.maxStep,
    behavior: {
      scaleUp: { stabilizationWindowSeconds: p.upWindow },
      scaleDown: { stabilizationWindowSeconds: p.downWindow },
    },
  });
}

function simulate(p: PolicyParams, trace: { gap: number; cpu: number; replicas?: number }[], initial: number) {
  const policy = build(p);
  let state: TargetState = emptyState(initial);
  let seconds = 0;
  const steps = [];
  for (const point of trace) {
    seconds += point.gap;
    const samples = [{ metric: 'cpu_utilization', value: point.cpu, timestamp: at(seconds) }];
    if (point.replicas !== undefined)
      samples.unshift({ metric: 'replicas', value: point.replicas, timestamp: at(seconds) });
    const before = state;
    const result = evaluate({ policy, state, samples });
    state = result.state;
    steps.push({ before, result, now: at(seconds) });
  }
  return { policy, steps };
}

describe('decision core properties', () => {
  it('every decision lies within [min, max], or moves toward it by maxStep from a value outside', () => {
    fc.assert(
      fc.property(policyArb, traceArb, fc.integer({ min: 1, max: 40 }), (p, trace, initial) => {
        const { policy, steps } = simulate(p, trace, initial);
        for (const { result } of steps)
          for (const d of result.decisions) {
            const inBounds = d.to >= policy.min && d.to <= policy.max;
            const outside = d.from < policy.min || d.from > policy.max;
            const towardBounds = d.from < policy.min === d.to > d.from;
            expect(inBounds || (outside && towardBounds && Math.abs(d.to - d.from) === policy.maxStep)).toBe(true);
          }
      }),
    );
  });

  it('no scale-down goes below the highest recommendation in the scale-down window', () => {
    fc.assert(
      fc.property(policyArb, traceArb, fc.integer({ min: 1, max: 40 }), (p, trace, initial) => {
        const { policy, steps } = simulate(p, trace, initial);
        for (const { result, now } of steps) {
          for (const d of result.decisions) {
            if (d.direction !== 'down' || d.explanation.trigger.kind === 'control') continue;
            const cutoff = now - policy.behavior.scaleDown.stabilizationWindowSeconds * 1000;
            // The window's entries and the evaluation's own recommendation, the last one recorded (a seed made at
            // the same time, for a new target, counts only for windows longer than zero, as in HPA).
            const inWindow = result.state.recommendations
              .filter((r, i, all) => r.time > cutoff || i === all.length - 1)
              .map((r) => r.value);
            expect(d.to).toBeGreaterThanOrEqual(Math.min(Math.max(...inWindow), d.from));
            expect(d.to).toBeGreaterThanOrEqual(policy.min);
          }
        }
      }),
    );
  });

  it('the same inputs give the same decisions and ids', () => {
    fc.assert(
      fc.property(policyArb, traceArb, fc.integer({ min: 1, max: 40 }), (p, trace, initial) => {
        const first = simulate(p, trace, initial).steps.flatMap((s) => s.result.decisions);
        const second = simulate(p, trace, initial).steps.flatMap((s) => s.result.decisions);
        expect(second).toEqual(first);
        expect(new Set(first.map((d) => d.decisionId)).size).toBe(first.length);
      }),
    );
  });

  it('a state round-tripped through JSON gives the same next decision', () => {
    fc.assert(
      fc.property(policyArb, traceArb, (p, trace) => {
        const { policy, steps } = simulate(p, trace, 5);
        const last = steps.at(-1)!;
        const again = evaluate({
          policy,
          state: JSON.parse(JSON.stringify(last.before)),
          samples: [
            { metric: 'cpu_utilization', value: trace.at(-1)!.cpu, timestamp: last.now },
            ...(trace.at(-1)!.replicas !== undefined
              ? [{ metric: 'replicas', value: trace.at(-1)!.replicas!, timestamp: last.now }]
              : []),
          ],
        });
        expect(again.decisions.map((d) => d.to)).toEqual(last.result.decisions.map((d) => d.to));
      }),
    );
  });
});

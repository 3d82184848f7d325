import { describe, expect, it } from 'vitest';
import { evaluate, onPlanResults } from './evaluate';
import { emptyState } from './state';
import { at, planResult, testPolicy } from './testing';

// A LocalPool reads back ready copies: right after a scale-up the new ones are still starting.
const policy = testPolicy({
  minReplicas: 1,
  maxReplicas: 6,
  metrics: [{ metric: 'http_requests_per_second', target: { type: 'AverageValue', averageValue: 40 } }],
  rules: [
    {
      name: 'overloaded',
      when: { metric: 'http_p95_ms', op: '>', value: 400 },
      for: '4s',
      severity: 'critical',
      plan: { steps: [{ scaleBy: '+2' }] },
    },
  ],
});

describe('a plan step whose result is not verified yet', () => {
  it('holds what it asked for, not the read-back on its way, so the metrics cannot take the copies back', () => {
    const sample = (seconds: number, p95: number) => [
      { metric: 'http_p95_ms', value: p95, timestamp: at(seconds) },
      { metric: 'http_requests_per_second', value: 10, timestamp: at(seconds) },
    ];
    let state = evaluate({ policy, state: emptyState(1), samples: sample(0, 900) }).state;
    const fired = evaluate({ policy, state, samples: sample(5, 900) });
    const step = fired.decisions.find((d) => d.plan)!;
    expect([step.from, step.to]).toEqual([1, 3]);
    const result = planResult(step, 'applied', at(6), { after: 1, verified: false });
    state = onPlanResults({ policy, state: fired.state, results: [result], now: at(6) }).state;
    expect(state.plans!['overloaded']!.steps[0]!.holds).toBe(3);
    // The copies come up, the breach goes on: the rate alone asks for one, and the plan's floor keeps three.
    const later = evaluate({ policy, state: { ...state, current: 3 }, samples: sample(60, 900) });
    expect(later.decisions.filter((d) => d.to < 3)).toEqual([]);
  });
});

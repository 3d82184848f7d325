import { at, testPolicy } from '@surge/decision-core/testing';
import { describe, expect, it } from 'vitest';
import type { ControlState } from '../control/control-state.service';
import { PolicyEvaluation } from './policy-evaluation.service';
import { emptyState, noUnused, routeEnvelope, sampleRoutes } from '@surge/decision-core';
import { PlanAnswers } from '../control/plan-answers';
import { TargetCosts } from '../policies/target-costs';

const web = testPolicy({
  target: { id: 'shop/web', kind: 'Deployment' },
  metrics: [
    { metric: 'cpu_utilization', target: { type: 'Utilization', averageUtilization: 50 } },
    { metric: 'queue_depth', target: { type: 'AverageValue', averageValue: 10 } },
  ],
});
const control = {
  effective: (p: unknown) => p,
  globalPause: false,
  answers: new PlanAnswers(),
} as unknown as ControlState;
const evaluation = new PolicyEvaluation(control, new TargetCosts({}));
const input = (metrics: Record<string, number>, seconds: number) => ({
  source: 'shop/web',
  samples: Object.entries(metrics).map(([metric, value]) => ({ metric, value, timestamp: at(seconds) })),
});
const loaded = { state: emptyState(4), outbox: [] };

describe('PolicyEvaluation: per-sample dedupe', () => {
  it('uses a second request that brings other metrics at the same timestamp', () => {
    const unused = noUnused();
    const outcome = evaluation.onSamples(
      'shop/web',
      web,
      loaded,
      [input({ cpu_utilization: 50 }, 10), input({ queue_depth: 400 }, 10)],
      unused,
    );
    expect(outcome.evaluations).toBe(2);
    expect(outcome.state.samples['queue_depth']).toEqual({ value: 400, time: at(10) });
    expect(outcome.decisions[0]).toMatchObject({ from: 4, direction: 'up' });
    expect(unused).toEqual(noUnused());
  });

  it('recognises a redelivered sample by its target, metric and timestamp, and counts it', () => {
    const first = evaluation.onSamples('shop/web', web, loaded, [input({ cpu_utilization: 50 }, 10)]);
    const unused = noUnused();
    const again = evaluation.onSamples(
      'shop/web',
      web,
      { ...first, outbox: [] },
      [input({ cpu_utilization: 50, queue_depth: 1 }, 10), input({ cpu_utilization: 40 }, 5)],
      unused,
    );
    expect(again.evaluations).toBe(1);
    expect(unused).toMatchObject({ duplicate: 1, too_old: 1 });
  });

  it("keeps only the metrics the policy reads in the target's state, and drops what an older state held", () => {
    const bloated = {
      ...loaded,
      state: { ...loaded.state, samples: { junk_1: { value: 1, time: at(0) }, replicas: { value: 4, time: at(0) } } },
    };
    const outcome = evaluation.onSamples('shop/web', web, bloated, [
      input({ cpu_utilization: 50, junk_2: 1, ['x'.repeat(200)]: 1 }, 10),
    ]);
    expect(Object.keys(outcome.state.samples).sort()).toEqual(['cpu_utilization', 'replicas']);
    expect(outcome.watermarks).toEqual({ 'shop/web': { cpu_utilization: at(10) } });
  });

  it('a future stamp beyond the skew limit is refused, so the genuine samples after it are used', () => {
    const now = at(100);
    const unused = noUnused();
    const route = sampleRoutes([web]).get('shop/web')!;
    const { samples: future } = routeEnvelope(
      input({ cpu_utilization: 500 }, 100 + 290).samples,
      route,
      now + 30_000,
      unused,
    );
    expect(future).toEqual([]);
    expect(unused.future).toBe(1);
    const outcome = evaluation.onSamples('shop/web', web, loaded, [
      { source: 'shop/web', samples: future },
      input({ cpu_utilization: 100 }, 101),
    ]);
    expect(outcome.evaluations).toBe(1);
    expect(outcome.state.samples['cpu_utilization']).toEqual({ value: 100, time: at(101) });
  });
});

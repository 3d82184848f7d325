import { testPolicy } from '@surge/decision-core/testing';
import { describe, expect, it } from 'vitest';
import type { ControlState } from '../control/control-state.service';
import { PlanAnswers } from '../control/plan-answers';
import { PlanIndex } from '../policies/plan-index';
import type { PolicyStore } from '../policies/policy-store.service';
import type { ObservedSetting } from '../state/observed-setting.codec';
import type { PolicyEvaluation } from './policy-evaluation.service';
import type { RulesEngineMetrics } from './rules-engine.metrics';
import type { StateCommit } from './state-commit.service';
import { TargetEvaluator } from './target-evaluator.service';

const web = testPolicy({ target: { id: 'shop/web', kind: 'Deployment' } });
// Its plan raises the PgBouncer pool: the pool's observed size is kept for it, though no policy scales the pool.
const api = testPolicy({
  target: { id: 'shop/api', kind: 'Deployment' },
  metrics: [],
  rules: [
    {
      name: 'slow',
      when: { metric: 'http_p95_ms', op: '>', value: 5000 },
      plan: {
        steps: [{ target: { id: 'db/pool', kind: 'PgBouncerPool' }, setting: 'default_pool_size', scaleTo: 60 }],
      },
    },
  ],
});

function evaluatorWith(observed: [string, ObservedSetting][], forPlans: [string, ObservedSetting][] = []) {
  const policies = {
    policyFor: (id: string) => [web, api].find((p) => p.target.id === id),
    all: () => [web, api],
    plans: PlanIndex.of([web, api]),
  };
  const state = {
    observe: async (id: string, o: ObservedSetting) => void observed.push([id, o]),
    observeForPlans: async (id: string, o: ObservedSetting) => void forPlans.push([id, o]),
  };
  return new TargetEvaluator(
    policies as unknown as PolicyStore,
    {} as PolicyEvaluation,
    state as unknown as StateCommit,
    { setPauseSource: () => undefined } as unknown as RulesEngineMetrics,
    { pauses: () => [], answers: new PlanAnswers() } as unknown as ControlState,
    { SURGE_RULES_MAX_FUTURE_SKEW_SECONDS: 30 },
  );
}

describe('TargetEvaluator.onObservedValue', () => {
  it("stores an observation of the policy's target, kind and id, and its setting", async () => {
    const observed: [string, ObservedSetting][] = [];
    await evaluatorWith(observed).onObservedValue({ kind: 'Deployment', id: 'shop/web' }, 'replicas', 3, 1_000);
    expect(observed).toEqual([['shop/web', { kind: 'Deployment', setting: 'replicas', value: 3, observedAt: 1_000 }]]);
  });

  it.each([
    ['another kind of target with the same id', { kind: 'LocalPool', id: 'shop/web' }, 'replicas'],
    ['a target without a policy', { kind: 'Deployment', id: 'shop/other' }, 'replicas'],
    ["a setting that is not the policy's", { kind: 'Deployment', id: 'shop/web' }, 'status_replicas'],
  ])('ignores %s', async (_case, target, setting) => {
    const observed: [string, ObservedSetting][] = [];
    const forPlans: [string, ObservedSetting][] = [];
    await evaluatorWith(observed, forPlans).onObservedValue(target, setting, 3, 1_000);
    expect(observed).toEqual([]);
    expect(forPlans).toEqual([]);
  });

  it("keeps an observation of a setting a plan acts on for the plan alone, not as another target's", async () => {
    const observed: [string, ObservedSetting][] = [];
    const forPlans: [string, ObservedSetting][] = [];
    const evaluator = evaluatorWith(observed, forPlans);
    await evaluator.onObservedValue({ kind: 'PgBouncerPool', id: 'db/pool' }, 'default_pool_size', 20, 1_000);
    await evaluator.onObservedValue({ kind: 'PgBouncerPool', id: 'db/pool' }, 'max_client_conn', 500, 1_000);
    await evaluator.onObservedValue({ kind: 'Deployment', id: 'db/pool' }, 'default_pool_size', 7, 1_000);
    expect(forPlans).toEqual([
      ['db/pool', { kind: 'PgBouncerPool', setting: 'default_pool_size', value: 20, observedAt: 1_000 }],
    ]);
    expect(observed).toEqual([]);
  });
});

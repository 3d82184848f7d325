import { testPolicy } from '@surge/decision-core/testing';
import { describe, expect, it } from 'vitest';
import type { ControlState } from '../control/control-state.service';
import type { PolicyStore } from '../policies/policy-store.service';
import type { ObservedSetting } from '../state/observed-setting.codec';
import type { PolicyEvaluation } from './policy-evaluation.service';
import type { RulesEngineMetrics } from './rules-engine.metrics';
import type { StateCommit } from './state-commit.service';
import { TargetEvaluator } from './target-evaluator.service';

const web = testPolicy({ target: { id: 'shop/web', kind: 'Deployment' } });

function evaluatorWith(observed: [string, ObservedSetting][]): TargetEvaluator {
  const policies = { policyFor: (id: string) => (id === web.target.id ? web : undefined), all: () => [web] };
  const state = { observe: async (id: string, o: ObservedSetting) => void observed.push([id, o]) };
  return new TargetEvaluator(
    policies as unknown as PolicyStore,
    {} as PolicyEvaluation,
    state as unknown as StateCommit,
    { setPauseSource: () => undefined } as unknown as RulesEngineMetrics,
    { pauses: () => [] } as unknown as ControlState,
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
    ['a target without a policy', { kind: 'Deployment', id: 'shop/api' }, 'replicas'],
    ["a setting that is not the policy's", { kind: 'Deployment', id: 'shop/web' }, 'status_replicas'],
  ])('ignores %s', async (_case, target, setting) => {
    const observed: [string, ObservedSetting][] = [];
    await evaluatorWith(observed).onObservedValue(target, setting, 3, 1_000);
    expect(observed).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { observeSamples, emptyState } from './state';
import { at, testPolicy } from './testing';

// Runbook 001: "PgBouncer pool above 80 % used: raise it". The rule reads the pool's own size, which its executor
// reports only now and then: the observed value stays true until it changes, it does not go stale as a sample.
describe('a condition on the policy’s own setting', () => {
  it('reads the observed value however long ago it was reported', () => {
    const policy = testPolicy({
      target: { id: 'db/pool', kind: 'PgBouncerPool' },
      setting: 'default_pool_size',
      minReplicas: undefined,
      maxReplicas: undefined,
      min: 10,
      max: 200,
      metrics: [],
      rules: [{ name: 'pool-busy', when: { expr: 'sv_active / default_pool_size > 0.8' }, action: { scaleTo: 100 } }],
    });
    const state = observeSamples(
      emptyState(),
      [{ metric: 'default_pool_size', value: 50, timestamp: at(0) }],
      policy.setting,
    );
    const out = evaluate({ policy, state, samples: [{ metric: 'sv_active', value: 45, timestamp: at(600) }] });
    expect(out.decisions).toEqual([expect.objectContaining({ from: 50, to: 100 })]);
  });
});

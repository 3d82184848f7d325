import type { PlanClaim, PlanRun, TargetState } from '@surge/decision-core';
import { emptyState } from '@surge/decision-core';
import { testPolicy } from '@surge/decision-core/testing';
import { describe, expect, it } from 'vitest';
import { claimWrites, planInputsOf } from './plan-inputs';

const pool = { id: 'db/pool', kind: 'PgBouncerPool' };
const settings = [{ target: pool, setting: 'default_pool_size' }];
const api = testPolicy({
  target: { id: 'shop/api', kind: 'Deployment' },
  rules: [
    {
      name: 'slow',
      when: { metric: 'http_p95_ms', op: '>', value: 5000 },
      plan: { steps: [{ scaleBy: '+50%' }, { target: pool, setting: 'default_pool_size', scaleTo: 60 }] },
    },
  ],
});
const inputs = planInputsOf(api, settings, { observed: [], claims: [] });

/** A run whose pool step raised the pool from 20 to 60 and holds it there, its replicas step from 4 to 6. */
function holding(phase: PlanRun['phase']): TargetState {
  return {
    ...emptyState(6),
    plans: {
      slow: {
        runId: 'p-run-0001',
        breach: 0,
        startedAt: 0,
        phase,
        step: 2,
        steps: [
          { status: 'succeeded', before: 4, to: 6, holds: 6 },
          { status: 'succeeded', before: 20, to: 60, holds: 60 },
        ],
      },
    },
  };
}

describe('claimWrites', () => {
  it('writes nothing for a policy whose plans never held a claim', () => {
    expect(claimWrites(api, inputs, emptyState(4), emptyState(4))).toBeUndefined();
    expect(claimWrites(api, undefined, holding('applied'), holding('applied'))).toBeUndefined();
  });

  it("sets the owner's field while held, on the other target only, and deletes it once released", () => {
    expect(claimWrites(api, inputs, emptyState(4), holding('applied'))).toEqual([
      {
        on: settings[0],
        owner: 'checkout-api/slow@shop/api',
        claim: {
          target: pool,
          setting: 'default_pool_size',
          value: 60,
          direction: 'floor',
          owner: 'checkout-api/slow@shop/api',
          policyTarget: 'shop/api',
          runId: 'p-run-0001',
        },
      },
    ]);
    expect(claimWrites(api, inputs, holding('applied'), holding('done'))).toEqual([
      { on: settings[0], owner: 'checkout-api/slow@shop/api' },
    ]);
    expect(claimWrites(api, inputs, holding('done'), holding('done'))).toBeUndefined();
  });
});

describe('planInputsOf', () => {
  it("looks up other targets' observed settings by kind, and leaves the policy's own claims to its state", () => {
    const claim = (owner: string, policyTarget: string): PlanClaim => ({
      target: { id: 'shop/api', kind: 'Deployment' },
      setting: 'replicas',
      value: 8,
      direction: 'floor',
      owner: `${owner}@${policyTarget}`,
      policyTarget,
      runId: 'p-run-0002',
    });
    const loaded = planInputsOf(api, settings, {
      observed: [{ target: pool, setting: 'default_pool_size', value: 20 }],
      // A policy of the same name on another target is someone else; an old name on this target is itself.
      claims: [
        claim('checkout-api/slow', 'shop/api'),
        claim('web/burst', 'shop/web'),
        claim('checkout-api/slow', 'eu/api'),
        claim('renamed/slow', 'shop/api'),
      ],
    });
    expect(loaded.observed(pool, 'default_pool_size')).toBe(20);
    expect(loaded.observed({ ...pool, kind: 'Deployment' }, 'default_pool_size')).toBeUndefined();
    expect(loaded.claims.map((c) => c.owner)).toEqual(['web/burst@shop/web', 'checkout-api/slow@eu/api']);
  });
});

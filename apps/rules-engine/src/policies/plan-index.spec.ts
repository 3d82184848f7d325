import { testPolicy } from '@surge/decision-core/testing';
import { describe, expect, it } from 'vitest';
import { PlanIndex } from './plan-index';

const pool = { id: 'db/pool', kind: 'PgBouncerPool' };
const slow = (steps: Record<string, unknown>[]) => [
  { name: 'slow', when: { metric: 'http_p95_ms', op: '>', value: 5000 }, plan: { steps } },
];
const web = testPolicy({ target: { id: 'shop/web', kind: 'Deployment' } });
// Its plan raises its own replicas, the pool's size and web's replicas.
const api = testPolicy({
  target: { id: 'shop/api', kind: 'Deployment' },
  rules: slow([
    { scaleBy: '+50%' },
    { target: pool, setting: 'default_pool_size', scaleTo: 60 },
    { target: { id: 'shop/web', kind: 'Deployment' }, setting: 'replicas', scaleBy: 2 },
  ]),
});
const own = testPolicy({ target: { id: 'shop/own', kind: 'Deployment' }, rules: slow([{ scaleBy: '+1' }]) });

describe('PlanIndex', () => {
  const index = PlanIndex.of([web, api, own]);

  it('knows the settings plans act on, of their kind only, and not a plan on its own setting', () => {
    expect(index.actsOn(pool, 'default_pool_size')).toBe(true);
    expect(index.actsOn({ id: 'shop/web', kind: 'Deployment' }, 'replicas')).toBe(true);
    expect(index.actsOn({ id: 'db/pool', kind: 'Deployment' }, 'default_pool_size')).toBe(false);
    expect(index.actsOn(pool, 'max_client_conn')).toBe(false);
    expect(index.actsOn({ id: 'shop/own', kind: 'Deployment' }, 'replicas')).toBe(false);
  });

  it("reads for a plan's other targets, claims for a policy another plan acts on, and nothing for the rest", () => {
    expect(index.readsOf(api)).toEqual({
      settings: [
        { target: pool, setting: 'default_pool_size' },
        { target: { id: 'shop/web', kind: 'Deployment' }, setting: 'replicas' },
      ],
      claimable: false,
    });
    expect(index.readsOf(web)).toEqual({ settings: [], claimable: true });
    expect(index.readsOf(own)).toBeUndefined();
    expect(PlanIndex.of([web, own]).readsOf(web)).toBeUndefined();
  });
});

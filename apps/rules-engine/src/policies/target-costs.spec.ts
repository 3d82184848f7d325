import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TargetCosts, TargetCostsError } from './target-costs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-costs-'));
function file(text: string): string {
  const name = path.join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(name, text);
  return name;
}

describe('TargetCosts', () => {
  it('reads each target’s cost model, for every setting or per setting, and ignores the executors’ fields', () => {
    const costs = new TargetCosts({
      SURGE_TARGETS_FILE: file(`targets:
  - { id: shop/api, kind: Deployment, bounds: { min: 1, max: 50 }, cost: { perUnitHour: 1.2, horizonHours: 730 } }
  - id: db/pool
    kind: PgBouncerPool
    bounds: { min: 1, max: 100 }
    cost: { default_pool_size: { perUnitHour: 0.05, currency: EUR, horizonHours: 24 } }
  - { id: shop/room, kind: VirtualQueue, bounds: { min: 0, max: 2 } }
`),
    });
    expect(costs.lookup({ kind: 'Deployment', id: 'shop/api' }, 'replicas')).toEqual({
      perUnitHour: 1.2,
      currency: 'USD',
      horizonHours: 730,
    });
    expect(costs.lookup({ kind: 'PgBouncerPool', id: 'db/pool' }, 'default_pool_size')).toMatchObject({
      currency: 'EUR',
    });
    expect(costs.lookup({ kind: 'PgBouncerPool', id: 'db/pool' }, 'max_client_conn')).toBeUndefined();
    expect(costs.lookup({ kind: 'VirtualQueue', id: 'shop/room' }, 'mode')).toBeUndefined();
    // The same id under another kind is another target.
    expect(costs.lookup({ kind: 'StatefulSet', id: 'shop/api' }, 'replicas')).toBeUndefined();
  });

  it('has no cost model without a targets file', () => {
    expect(new TargetCosts({}).lookup({ kind: 'Deployment', id: 'shop/api' }, 'replicas')).toBeUndefined();
  });

  it('stops the engine at boot on a bad cost model, naming the field', () => {
    const bad = file(
      `targets:\n  - { id: shop/api, kind: Deployment, cost: { perUnitHour: -1, horizonHours: 730 } }\n`,
    );
    expect(() => new TargetCosts({ SURGE_TARGETS_FILE: bad })).toThrow(TargetCostsError);
    expect(() => new TargetCosts({ SURGE_TARGETS_FILE: bad })).toThrow(/targets\.0\.cost/);
    expect(() => new TargetCosts({ SURGE_TARGETS_FILE: path.join(dir, 'missing.yaml') })).toThrow(/Cannot read/);
  });
});

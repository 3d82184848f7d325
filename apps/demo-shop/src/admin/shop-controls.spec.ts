import { describe, expect, it } from 'vitest';
import { ShopControls } from './shop-controls';

describe('ShopControls', () => {
  it('limits each endpoint on its own', () => {
    const controls = new ShopControls(1, () => 0);
    expect(controls.admit('events')).toBeNull();
    expect(controls.admit('events')).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    expect(controls.admit('reserve')).toBeNull();
  });

  it('turns non-essential pages off at level 1 and writes too at level 2', () => {
    const controls = new ShopControls(100, () => 0);
    controls.setDegradation(1);
    expect(controls.admit('recommendations')).toMatchObject({ status: 503, body: { error: 'degraded' } });
    expect(controls.admit('reserve')).toBeNull();
    controls.setDegradation(2);
    expect(controls.admit('reserve')).toMatchObject({ status: 503, body: { error: 'degraded' } });
    expect(controls.admit('events')).toBeNull();
  });

  it('takes the shared values on sync, and the defaults for what nobody set', () => {
    const controls = new ShopControls(100, () => 0);
    controls.sync({ 'rate_limit:reserve': 5, degradation: 2 });
    expect([controls.rateLimit('reserve'), controls.rateLimit('events'), controls.degradation()]).toEqual([5, 100, 2]);
    controls.sync({});
    expect([controls.rateLimit('reserve'), controls.degradation()]).toEqual([100, 0]);
  });

  it('fails the fault’s share of requests, the boot default until the store holds another', () => {
    const controls = new ShopControls(100, () => 0, 30);
    expect([controls.faulted(() => 0.29), controls.faulted(() => 0.3)]).toEqual([true, false]);
    controls.sync({ fault_error_percent: 0 });
    expect(controls.faulted(() => 0)).toBe(false);
    controls.sync({});
    expect(controls.faultErrorPercent()).toBe(30);
  });
});

import { describe, expect, it } from 'vitest';
import { loadShopConfig } from './shop.config';

const base = { PGBOUNCER_URL: 'postgres://u@127.0.0.1:6432/db' };

describe('shop config: the admin token', () => {
  it('is off when unset and taken when real', () => {
    expect(loadShopConfig(base).SURGE_SHOP_ADMIN_TOKEN).toBeUndefined();
    expect(loadShopConfig({ ...base, SURGE_SHOP_ADMIN_TOKEN: '' }).SURGE_SHOP_ADMIN_TOKEN).toBeUndefined();
    const token = '0c9f1e2d3b4a59687a6b5c4d3e2f1a0b';
    expect(loadShopConfig({ ...base, SURGE_SHOP_ADMIN_TOKEN: token }).SURGE_SHOP_ADMIN_TOKEN).toBe(token);
  });

  it('refuses a placeholder or a short token at boot', () => {
    expect(() => loadShopConfig({ ...base, SURGE_SHOP_ADMIN_TOKEN: 'xxxxxxxxxxxxxxxxxxxx' })).toThrow(/placeholder/);
    expect(() => loadShopConfig({ ...base, SURGE_SHOP_ADMIN_TOKEN: 'short' })).toThrow(/at least 16/);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adminEnv, databaseEnv, redisEnv, requireOperatorCredential } from './env-fragments';
import { loadConfig } from './load-config';
import { placeholderSecretReason } from './secret-strength';

const operatorService = z.object({ ...adminEnv }).superRefine(requireOperatorCredential);
const load = (env: Record<string, string>) => loadConfig('probe', operatorService, env);
const RANDOM = '9f2c41d07be35a68c1e0f4d2a7b9e3c5';

describe('known default and placeholder secrets', () => {
  it.each([
    ['the compose default token', 'change-me-dev-only'],
    ['the compose default password', 'surge-dev-only'],
    ['a template value', 'REPLACE_ME_WITH_A_REAL_TOKEN'],
    ['a placeholder marker', '<your-admin-token-here>'],
    ['one character repeated', 'xxxxxxxxxxxxxxxxxxxxxxxx'],
  ])('refuses %s, saying how to generate one', (_, value) => {
    expect(placeholderSecretReason(value)).toMatch(/openssl rand -hex 32/);
  });

  it('accepts random tokens, whatever their names say', () => {
    expect(placeholderSecretReason(RANDOM)).toBeNull();
    expect(placeholderSecretReason('status-admin-token-8c1e0f4d2a7b')).toBeNull();
  });
});

describe('the operator credential of a service with an admin API', () => {
  it('refuses the compose default SURGE_ADMIN_TOKEN at boot', () => {
    expect(() => load({ SURGE_ADMIN_TOKEN: 'change-me-dev-only' })).toThrow(
      /SURGE_ADMIN_TOKEN: is a known default; generate one with `openssl rand -hex 32`/,
    );
  });

  it('needs the token or an operators file, and names both when neither is set', () => {
    expect(() => load({})).toThrow(
      /SURGE_ADMIN_TOKEN: set SURGE_OPERATORS_FILE \(named operators\) or SURGE_ADMIN_TOKEN/,
    );
    expect(() => load({ SURGE_ADMIN_TOKEN: '', SURGE_OPERATORS_FILE: '' })).toThrow(/set SURGE_OPERATORS_FILE/);
    expect(load({ SURGE_OPERATORS_FILE: '/etc/surge/operators.yaml' })).toEqual({
      SURGE_OPERATORS_FILE: '/etc/surge/operators.yaml',
    });
    expect(load({ SURGE_ADMIN_TOKEN: '', SURGE_OPERATORS_FILE: '/etc/ops.yaml' }).SURGE_ADMIN_TOKEN).toBeUndefined();
    expect(load({ SURGE_ADMIN_TOKEN: RANDOM }).SURGE_ADMIN_TOKEN).toBe(RANDOM);
  });
});

describe('connection URLs', () => {
  const urls = z.object({ ...databaseEnv, ...redisEnv });

  it('refuse a known default or placeholder password', () => {
    expect(() =>
      loadConfig('probe', urls, { DATABASE_URL: 'postgres://surge:surge-dev-only@pgbouncer:5432/surge' }),
    ).toThrow(/DATABASE_URL: its password is a known default/);
    expect(() =>
      loadConfig('probe', urls, {
        DATABASE_URL: `postgres://surge:${RANDOM}@pgbouncer:5432/surge`,
        REDIS_URL: 'redis://:change-me@redis:6379',
      }),
    ).toThrow(/REDIS_URL: its password looks like a placeholder/);
  });

  it('take a random password, or none (a local server trusting its socket)', () => {
    expect(
      loadConfig('probe', urls, { DATABASE_URL: `postgres://surge:${RANDOM}@pgbouncer:5432/surge` }).REDIS_URL,
    ).toBe('redis://127.0.0.1:6379');
    const local = 'postgres://postgres@127.0.0.1:5432/test';
    expect(loadConfig('probe', urls, { DATABASE_URL: local }).DATABASE_URL).toBe(local);
  });
});

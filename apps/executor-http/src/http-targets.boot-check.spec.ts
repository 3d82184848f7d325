import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import { connectionVariablesOf } from '@surge/executor-framework';
import { describe, expect, it } from 'vitest';
import { parseAllowlist } from './base-url-allowlist';
import { resolveHttpEndpoints } from './http-targets.boot-check';

const dir = mkdtempSync(path.join(tmpdir(), 'surge-http-boot-'));
const secret = (name: string, value: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, `${value}\n`);
  return file;
};

function targetsOf(baseUrl: string | { env: string }, secretFile: string) {
  const catalog = new TargetCatalog(
    targetsFileSchema.parse({
      targets: [
        {
          id: 'shop/admin',
          kind: 'HttpEndpoint',
          baseUrl,
          connection: { secretFile },
          settings: {
            degradation_mode: { path: '/admin/degradation', read: { path: '/admin/degradation', pointer: '/level' } },
          },
          bounds: { degradation_mode: { min: 0, max: 2 } },
        },
      ],
    }),
  );
  return { catalog, connections: connectionVariablesOf(catalog, {}) };
}

describe('resolveHttpEndpoints', () => {
  const check = (targets: ReturnType<typeof targetsOf>, env: Record<string, string> = {}) =>
    resolveHttpEndpoints(targets, allowlist, env);
  const allowlist = parseAllowlist('http://127.0.0.1:8070');
  const token = secret('good', 'a4f0c1d2e3b4a5968778695a4b3c2d1e');

  it('passes an allowlisted target with a real token, its base URL given or from a variable', () => {
    expect(check(targetsOf('http://127.0.0.1:8070', token))).toEqual(
      new Map([['shop/admin', 'http://127.0.0.1:8070']]),
    );
    expect(check(targetsOf({ env: 'SHOP_URL' }, token), { SHOP_URL: 'http://127.0.0.1:8070/' })).toEqual(
      new Map([['shop/admin', 'http://127.0.0.1:8070/']]),
    );
    expect(() => check(targetsOf({ env: 'SHOP_URL' }, token))).toThrow(
      'shop/admin: baseUrl variable SHOP_URL is not set',
    );
  });

  it('refuses a base URL off the allowlist, naming the target and the allowlist', () => {
    expect(() => check(targetsOf('http://10.0.0.5:8070', token))).toThrow(
      'shop/admin: baseUrl http://10.0.0.5:8070 is not in SURGE_HTTP_ALLOWED_BASE_URLS (http://127.0.0.1:8070)',
    );
  });

  it('refuses a placeholder, a short token and a missing secret file', () => {
    for (const value of ['changeme', '<token>', 'short'])
      expect(() => check(targetsOf('http://127.0.0.1:8070', secret(value, value)))).toThrow(
        /bearer token is empty, a placeholder or shorter than 16/,
      );
    expect(() => check(targetsOf('http://127.0.0.1:8070', path.join(dir, 'none')))).toThrow(/cannot read secret file/);
  });
});

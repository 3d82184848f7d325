import { describe, expect, it } from 'vitest';
import { targetsFileSchema } from './targets-file.schema';

const setting = { path: '/admin/degradation', read: { path: '/admin/degradation', pointer: '/level' } };
const endpoint = {
  id: 'shop/admin',
  kind: 'HttpEndpoint',
  baseUrl: 'http://127.0.0.1:8070',
  connection: { secretFile: '/run/secrets/shop-admin-token' },
  settings: { degradation_mode: setting },
  bounds: { degradation_mode: { min: 0, max: 2 } },
};
const issuesOf = (target: Record<string, unknown>) => {
  const result = targetsFileSchema.safeParse({ targets: [target] });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('HttpEndpoint targets', () => {
  it('accepts an endpoint and fills in the method and the body template', () => {
    const parsed = targetsFileSchema.parse({ targets: [endpoint] });
    expect(parsed.targets[0]!.settings!['degradation_mode']).toMatchObject({ method: 'PUT', body: '{{value}}' });
  });

  it('needs a base URL, a connection, settings, and bounds for each setting', () => {
    expect(issuesOf({ id: 'x', kind: 'HttpEndpoint', bounds: { min: 0, max: 1 } })).toEqual([
      'targets.0.baseUrl: an HttpEndpoint target needs a baseUrl',
      'targets.0.connection: an HttpEndpoint target needs a connection holding its bearer token',
      'targets.0.settings: name at least one setting',
    ]);
    expect(issuesOf({ ...endpoint, bounds: { min: 0, max: 2 } })).toEqual([
      'targets.0.bounds.degradation_mode: setting degradation_mode needs bounds of its own',
    ]);
  });

  it('keeps setting paths on the base URL', () => {
    for (const path of ['http://elsewhere/x', '//elsewhere/x', '/admin/../../x', 'admin', '/a?b=1'])
      expect(issuesOf({ ...endpoint, settings: { degradation_mode: { ...setting, path } } })).not.toEqual([]);
  });

  it('refuses the fields on another kind', () => {
    expect(issuesOf({ id: 'c', kind: 'RedisCache', baseUrl: 'http://127.0.0.1', bounds: { min: 0, max: 1 } })).toEqual([
      'targets.0.baseUrl: only an HttpEndpoint target has baseUrl',
    ]);
  });
});

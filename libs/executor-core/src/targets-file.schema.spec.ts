import { describe, expect, it } from 'vitest';
import { boundsFor, namespaceOf, TargetCatalog } from './target-catalog';
import { targetsFileSchema } from './targets-file.schema';

describe('targets file schema', () => {
  it('fills defaults and reads per-setting bounds', () => {
    const file = targetsFileSchema.parse({
      targets: [
        {
          id: 'db/main',
          kind: 'PgBouncerPool',
          connection: { env: 'PGB_ADMIN_URL' },
          bounds: { default_pool_size: { min: 5, max: 50 } },
        },
      ],
    });
    const target = new TargetCatalog(file).get('db/main')!;
    expect(target).toMatchObject({ allowed: true, allowHpaConflict: false, onOutOfBounds: 'clamp', options: {} });
    expect(boundsFor(target, 'default_pool_size')).toEqual({ min: 5, max: 50 });
    expect(boundsFor(target, 'max_client_conn')).toBeNull();
  });

  it.each([
    [
      'min above max',
      { targets: [{ id: 'a/b', kind: 'Deployment', bounds: { min: 5, max: 1 } }] },
      'min must not exceed max',
    ],
    [
      'duplicate id',
      {
        targets: [
          { id: 'a/b', kind: 'D', bounds: { min: 1, max: 2 } },
          { id: 'a/b', kind: 'D', bounds: { min: 1, max: 2 } },
        ],
      },
      'duplicate target id a/b',
    ],
    [
      'credentials inline',
      { targets: [{ id: 'a/b', kind: 'D', bounds: { min: 1, max: 2 }, connection: { url: 'redis://x' } }] },
      '',
    ],
  ])('refuses %s', (_name, input, message) => {
    const result = targetsFileSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (message) expect(JSON.stringify(result.error?.issues)).toContain(message);
  });

  it('splits namespaces off ids', () => {
    expect(namespaceOf('shop/web')).toBe('shop');
    expect(namespaceOf('redis-main')).toBeNull();
  });
});

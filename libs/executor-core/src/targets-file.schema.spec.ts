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

describe('targets file guardrails', () => {
  const entry = (patch: object) => ({ targets: [{ id: 'a/b', kind: 'D', bounds: { min: 1, max: 20 }, ...patch }] });

  it('defaults to an exact from and no limits', () => {
    const target = targetsFileSchema.parse(entry({})).targets[0]!;
    expect(target).toMatchObject({ fromTolerance: 0, guardrails: {} });
  });

  it('reads a tolerance, a step and an interval', () => {
    const target = targetsFileSchema.parse(
      entry({ fromTolerance: 1, guardrails: { maxStep: { absolute: 4, percent: 50 }, minIntervalSeconds: 30 } }),
    ).targets[0]!;
    expect(target.guardrails).toEqual({ maxStep: { absolute: 4, percent: 50 }, minIntervalSeconds: 30 });
  });

  it.each([
    ['a negative tolerance', { fromTolerance: -1 }, 'fromTolerance'],
    ['a zero readiness timeout', { readyTimeoutSeconds: 0 }, 'readyTimeoutSeconds'],
    ['an empty maxStep', { guardrails: { maxStep: {} } }, 'give absolute, percent or both'],
    ['a zero step', { guardrails: { maxStep: { absolute: 0 } } }, 'absolute'],
    ['an unknown guardrail', { guardrails: { maxChanges: 3 } }, 'maxChanges'],
  ])('refuses %s', (_name, patch, message) => {
    const result = targetsFileSchema.safeParse(entry(patch));
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});

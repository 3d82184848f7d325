import { describe, expect, it } from 'vitest';
import { resolvePointer } from './json-pointer';

describe('resolvePointer (RFC 6901)', () => {
  const doc = { limits: { checkout: { limitPerSecond: 50 } }, 'a/b': 1, 'm~n': 2, list: [10, 20], '': 3 };

  it('walks objects and arrays', () => {
    expect(resolvePointer(doc, '/limits/checkout/limitPerSecond')).toBe(50);
    expect(resolvePointer(doc, '/list/1')).toBe(20);
    expect(resolvePointer(doc, '')).toBe(doc);
    expect(resolvePointer(doc, '/')).toBe(3);
  });

  it('decodes ~1 and ~0 in that order', () => {
    expect(resolvePointer(doc, '/a~1b')).toBe(1);
    expect(resolvePointer(doc, '/m~0n')).toBe(2);
  });

  it('finds nothing for a missing key, a bad array index or an inherited property', () => {
    expect(resolvePointer(doc, '/limits/search')).toBeUndefined();
    expect(resolvePointer(doc, '/list/01')).toBeUndefined();
    expect(resolvePointer(doc, '/list/-')).toBeUndefined();
    expect(resolvePointer(doc, '/limits/constructor')).toBeUndefined();
  });
});

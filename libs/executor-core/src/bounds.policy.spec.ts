import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBounds } from './bounds.policy';

const boundsArb = fc
  .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }))
  .map(([min, span]) => ({ min, max: min + span }));
const anyNumber = fc.oneof(
  fc.double({ noNaN: false }),
  fc.integer(),
  fc.constantFrom(Infinity, -Infinity, NaN, -1, 1e12),
);

describe('applyBounds', () => {
  it('never returns a value outside the bounds when clamping', () => {
    fc.assert(
      fc.property(anyNumber, boundsArb, (requested, bounds) => {
        const out = applyBounds(requested, bounds, 'clamp');
        if (out.ok) {
          expect(out.value).toBeGreaterThanOrEqual(bounds.min);
          expect(out.value).toBeLessThanOrEqual(bounds.max);
          expect(Number.isInteger(out.value)).toBe(true);
        } else {
          expect(Number.isFinite(requested)).toBe(false);
        }
      }),
    );
  });

  it('never accepts an out-of-bounds value in reject mode', () => {
    fc.assert(
      fc.property(anyNumber, boundsArb, (requested, bounds) => {
        const out = applyBounds(requested, bounds, 'reject');
        if (out.ok) expect(out.value).toBe(Math.round(requested));
        else
          expect(
            Math.round(requested) >= bounds.min && Math.round(requested) <= bounds.max && Number.isFinite(requested),
          ).toBe(false);
      }),
    );
  });

  it('leaves an in-bounds whole value untouched', () => {
    fc.assert(
      fc.property(boundsArb, fc.nat(), (bounds, offset) => {
        const requested = bounds.min + (offset % (bounds.max - bounds.min + 1));
        expect(applyBounds(requested, bounds, 'clamp')).toEqual({ ok: true, value: requested, clampedFrom: null });
      }),
    );
  });

  it.each([
    [-5, { ok: true, value: 1, clampedFrom: -5 }],
    [1e9, { ok: true, value: 10, clampedFrom: 1e9 }],
    [3.4, { ok: true, value: 3, clampedFrom: 3.4 }],
    [Infinity, { ok: false, reason: 'value Infinity is not a finite number' }],
  ])('clamps %s into [1, 10]', (requested, expected) => {
    expect(applyBounds(requested, { min: 1, max: 10 }, 'clamp')).toEqual(expected);
  });
});

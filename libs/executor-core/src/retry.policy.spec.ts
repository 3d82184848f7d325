import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, totalBackoffMs } from './retry.policy';

describe('backoff', () => {
  const policy = { retries: 4, baseDelayMs: 100, maxDelayMs: 500 };
  it('doubles then caps', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy))).toEqual([100, 200, 400, 500]);
    expect(totalBackoffMs(policy)).toBe(1200);
  });
  it('is monotonic and never above the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (n, base, cap) => {
          const p = { retries: 60, baseDelayMs: base, maxDelayMs: cap };
          expect(backoffDelayMs(n, p)).toBeLessThanOrEqual(cap);
          expect(backoffDelayMs(n + 1, p)).toBeGreaterThanOrEqual(backoffDelayMs(n, p));
        },
      ),
    );
  });
});

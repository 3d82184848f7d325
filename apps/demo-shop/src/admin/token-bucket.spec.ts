import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows one second of burst, then refills at the limit', () => {
    let now = 0;
    const bucket = new TokenBucket(3, () => now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
    now = 340;
    expect([bucket.tryTake(), bucket.tryTake()]).toEqual([true, false]);
  });

  it('sheds at once when the limit is lowered', () => {
    let now = 0;
    const bucket = new TokenBucket(100, () => now);
    bucket.setLimit(1);
    expect([bucket.tryTake(), bucket.tryTake()]).toEqual([true, false]);
    now = 1000;
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.limit).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeBaseline, encodeBaseline } from './baseline.store';

describe('the baseline codec', () => {
  it('writes version 1, the bare number every release reads, and reads it back', () => {
    expect(encodeBaseline(120)).toBe('120');
    for (const value of [0, 120, 2.5, -3]) expect(decodeBaseline(encodeBaseline(value))).toBe(value);
  });

  it("refuses, rather than misreads, a later release's versioned value or one that is not a number", () => {
    for (const raw of ['2:100', '1:100', 'x:100', '', ' ', 'abc', 'Infinity', 'NaN'])
      expect(decodeBaseline(raw)).toBeNull();
  });
});

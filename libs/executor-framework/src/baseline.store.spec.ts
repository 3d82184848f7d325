import { describe, expect, it } from 'vitest';
import { BASELINE_SCHEMA_VERSION, decodeBaseline, encodeBaseline } from './baseline.store';

describe('the baseline codec', () => {
  it('writes its version with the value and reads it back', () => {
    expect(encodeBaseline(120)).toBe(`${BASELINE_SCHEMA_VERSION}:120`);
    for (const value of [0, 120, 2.5, -3]) expect(decodeBaseline(encodeBaseline(value))).toBe(value);
  });

  it('migrates a bare number, written before baselines carried a version', () => {
    expect(decodeBaseline('100')).toBe(100);
  });

  it('refuses, rather than misreads, another version or a value that is not a number', () => {
    for (const raw of ['2:100', 'x:100', '1:', '1:abc', '', 'abc', '1:Infinity'])
      expect(decodeBaseline(raw)).toBeNull();
  });
});

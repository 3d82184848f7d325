import { describe, expect, it } from 'vitest';
import { foldObservedValue } from './observed-value';
import { emptyState } from './state';

describe('foldObservedValue', () => {
  it("sets the current value and the setting's last sample", () => {
    expect(foldObservedValue(emptyState(), 'replicas', 3, 10)).toMatchObject({
      current: 3,
      samples: { replicas: { value: 3, time: 10 } },
    });
  });

  it('returns the same state for an older observation, or the one folded already', () => {
    const folded = foldObservedValue(emptyState(), 'replicas', 3, 10);
    // A decision moved the current value on: folding the same observation again must not undo it.
    const decided = { ...folded, current: 6 };
    expect(foldObservedValue(decided, 'replicas', 3, 10)).toBe(decided);
    expect(foldObservedValue(decided, 'replicas', 2, 9)).toBe(decided);
  });

  it('takes a newer observation, or another value at the same time', () => {
    const decided = { ...foldObservedValue(emptyState(), 'replicas', 3, 10), current: 6 };
    expect(foldObservedValue(decided, 'replicas', 5, 11).current).toBe(5);
    expect(foldObservedValue(decided, 'replicas', 4, 10).current).toBe(4);
  });
});

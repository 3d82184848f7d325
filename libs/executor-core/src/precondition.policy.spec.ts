import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgePrecondition } from './precondition.policy';

const base = { setting: 'replicas', goal: 6, from: 4, tolerance: 0 };

describe('judgePrecondition', () => {
  it.each([
    ['the target at the goal: already made', { current: 6 }, 'already-made'],
    ['the target at from: apply', { current: 4 }, 'apply'],
    ['within the tolerance of from: apply', { current: 5, tolerance: 1 }, 'apply'],
    ['just outside the tolerance: conflict', { current: 6.5, goal: 8, tolerance: 2 }, 'conflict'],
    ['moved elsewhere: conflict', { current: 9 }, 'conflict'],
    ['no from at all: conflict', { current: 4, from: undefined }, 'conflict'],
    ['a non-finite from: conflict', { current: 4, from: NaN }, 'conflict'],
  ])('%s', (_name, patch, verdict) => {
    expect(judgePrecondition({ ...base, ...patch }).verdict).toBe(verdict);
  });

  it('names the value read, from, the tolerance and to in a conflict', () => {
    expect(judgePrecondition({ ...base, current: 9 })).toEqual({
      verdict: 'conflict',
      reason:
        "replicas reads 9, neither the decision's from 4 (tolerance 0) nor its to 6: changed since the decision was made, not changed by it",
    });
  });

  it('applies only when the value read is within the tolerance of from, and never when it is elsewhere', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 5 }),
        (current, from, goal, tolerance) => {
          const { verdict } = judgePrecondition({ setting: 's', current, from, goal, tolerance });
          if (current === goal) expect(verdict).toBe('already-made');
          else expect(verdict).toBe(Math.abs(current - from) <= tolerance ? 'apply' : 'conflict');
        },
      ),
    );
  });
});

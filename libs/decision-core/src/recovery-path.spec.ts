import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRecoveryValue } from './recovery-path';

function path(from: number, goal: number, recovery: Parameters<typeof nextRecoveryValue>[2], step = 1) {
  const values = [from];
  while (values.at(-1) !== goal) values.push(nextRecoveryValue(values.at(-1)!, goal, recovery, step));
  return values;
}

describe('nextRecoveryValue', () => {
  it('walks the runbook’s 10 → 6 → 4 → 2 through listed values', () => {
    expect(path(10, 2, { everySeconds: 300, through: [6, 4] })).toEqual([10, 6, 4, 2]);
  });

  it('halves the distance left with by: 50%, at least one step at a time', () => {
    expect(path(10, 2, { everySeconds: 60, by: { mode: 'percent', amount: 50 } })).toEqual([10, 6, 4, 3, 2]);
  });

  it('moves a fixed amount, in the setting’s steps, and upward for a setting the rule lowered', () => {
    expect(path(20, 50, { everySeconds: 60, by: { mode: 'absolute', amount: 10 } }, 5)).toEqual([20, 30, 40, 50]);
  });

  it('goes straight to the goal without by or through', () => {
    expect(nextRecoveryValue(10, 2, { everySeconds: 0 })).toBe(2);
  });

  it('always ends, never passes the goal, and never turns back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 100 }),
        (from, goal, percent) => {
          const values = path(from, goal, {
            everySeconds: 1,
            by: { mode: 'percent', amount: percent },
          });
          expect(values.length).toBeLessThanOrEqual(Math.abs(from - goal) + 1);
          for (let i = 1; i < values.length; i++)
            expect(Math.sign(goal - values[i]!)).not.toBe(-Math.sign(goal - values[i - 1]!));
        },
      ),
    );
  });
});

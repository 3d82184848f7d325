import type { RecoveryPath } from '@surge/policy';
import { roundDownToStep, roundUpToStep } from './bounds';

/**
 * The next value on the way back from `from` to `goal`: the next `through` value strictly between them, else
 * `by` of the distance left (percent) or a fixed amount, in the setting's steps, else the goal itself. Always
 * moves at least one step and never passes the goal, so a recovery ends. Works both ways: a step that lowered a
 * rate limit is reverted upward.
 *
 * `through: [6, 4]` from 10 to 2 gives 10 → 6 → 4 → 2; `by: 50%` gives 10 → 6 → 4 → 3 → 2.
 */
export function nextRecoveryValue(from: number, goal: number, recovery: RecoveryPath, step = 1): number {
  if (from === goal) return goal;
  const down = goal < from;
  const beyondGoal = (value: number) => (down ? value <= goal : value >= goal);
  if (recovery.through) {
    const ahead = recovery.through.filter((value) =>
      down ? value < from && value > goal : value > from && value < goal,
    );
    if (!ahead.length) return goal;
    return down ? Math.max(...ahead) : Math.min(...ahead);
  }
  if (!recovery.by) return goal;
  const distance = Math.abs(from - goal);
  const move = recovery.by.mode === 'percent' ? (distance * recovery.by.amount) / 100 : recovery.by.amount;
  // By at least one step (50 % of a distance of 1 must still arrive), rounded away from the goal: the gentler
  // move, since a recovery that is too quick is the one that brings the incident back.
  const raw = down ? from - Math.max(move, step) : from + Math.max(move, step);
  const rounded = down ? roundUpToStep(raw, step) : roundDownToStep(raw, step);
  return beyondGoal(rounded) ? goal : rounded;
}

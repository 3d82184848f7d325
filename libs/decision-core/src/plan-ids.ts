import { createHash } from 'node:crypto';

const hashOf = (parts: readonly (string | number)[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

/**
 * One id per run: the policy target, the policy, the rule and the event time of the firing that started it. A dry
 * run's preview of the same breach has an id of its own, so its steps' ids are never a live step's (an executor
 * would take one for the other's duplicate).
 */
export function planRunIdOf(targetId: string, policy: string, rule: string, firedAt: number, preview = false): string {
  return `p-${hashOf(preview ? [targetId, policy, rule, firedAt, 'preview'] : [targetId, policy, rule, firedAt])}`;
}

/**
 * A step's decision id: the run, the step, the phase and, for a revert, its move. Two steps of one run (a room's
 * `mode` and `maxActive`) never share an id, and a replay of the same run gives the same ids again.
 */
export function planStepDecisionIdOf(runId: string, step: number, setting: string, phase: string, move = 0): string {
  return hashOf([runId, step, setting, phase, move]);
}

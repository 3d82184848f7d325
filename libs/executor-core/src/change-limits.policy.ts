import type { ChangeGuardrails } from './targets-file.schema';

export type ChangeLimitVerdict = { ok: true } | { ok: false; reason: string };

export interface ChangeLimitInput {
  setting: string;
  current: number;
  goal: number;
  guardrails: ChangeGuardrails;
  /** When the executor last changed this setting of this target (epoch ms), or null when it never did. */
  lastChangedAt: number | null;
  now: number;
}

/**
 * The largest change allowed from `current`: with both parts of `maxStep` given, the smaller. A percent is of the
 * current value, rounded up and never under 1, so a target at 1 or 0 can still move.
 */
export function maxStepFrom(current: number, maxStep: NonNullable<ChangeGuardrails['maxStep']>): number {
  const byPercent =
    maxStep.percent === undefined ? Infinity : Math.max(1, Math.ceil((Math.abs(current) * maxStep.percent) / 100));
  return Math.min(maxStep.absolute ?? Infinity, byPercent);
}

/**
 * The targets file's per-target guardrails, held whatever the decision says: a steered or buggy rules engine can
 * move a target only by the step, and only as often as the interval allows. A change over either is refused, not
 * cut down: a partial change would leave the target at a value nobody decided.
 */
export function judgeChangeLimits(input: ChangeLimitInput): ChangeLimitVerdict {
  const { setting, current, goal, guardrails, lastChangedAt, now } = input;
  if (guardrails.maxStep) {
    const step = Math.abs(goal - current);
    const limit = maxStepFrom(current, guardrails.maxStep);
    if (step > limit) {
      const parts = [
        guardrails.maxStep.absolute === undefined ? null : `absolute ${guardrails.maxStep.absolute}`,
        guardrails.maxStep.percent === undefined ? null : `${guardrails.maxStep.percent}% of ${current}`,
      ].filter(Boolean);
      return {
        ok: false,
        reason: `guardrail maxStep: ${setting} ${current} -> ${goal} is a step of ${step}, over the limit of ${limit} (${parts.join(', ')})`,
      };
    }
  }
  const minIntervalSeconds = guardrails.minIntervalSeconds;
  if (minIntervalSeconds !== undefined && lastChangedAt !== null) {
    const sinceMs = now - lastChangedAt;
    if (sinceMs < minIntervalSeconds * 1000) {
      return {
        ok: false,
        reason: `guardrail minIntervalSeconds: ${setting} was changed ${(sinceMs / 1000).toFixed(1)} s ago, under the ${minIntervalSeconds} s between changes`,
      };
    }
  }
  return { ok: true };
}

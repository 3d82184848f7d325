export type PreconditionVerdict =
  { verdict: 'already-made' } | { verdict: 'apply' } | { verdict: 'conflict'; reason: string };

export interface PreconditionInput {
  setting: string;
  /** The value just read from the target. */
  current: number;
  /** The value the executor would set: the decision's `to`, after the target's bounds. */
  goal: number;
  /** The value the decision was computed from. The contract requires it; a decision without one is never applied. */
  from: number | null | undefined;
  /** The target's `fromTolerance`. */
  tolerance: number;
}

/**
 * Check before act, optimistic concurrency as Kubernetes does with resourceVersion. A decision is a change from
 * `from` to `to`: the target already at the goal means the change is made (a retry after an apply whose result was
 * never reported, a replay after the executor lost its records), so nothing is done again; the target at `from`
 * means the decision still describes it; anything else means someone or something moved the target since, and
 * applying would overwrite that with a value computed for another state. The rules engine re-decides from the
 * observed value instead. A decision with no usable `from` is refused the same way: we cannot tell what it assumed.
 */
export function judgePrecondition(input: PreconditionInput): PreconditionVerdict {
  const { setting, current, goal, from, tolerance } = input;
  if (current === goal) return { verdict: 'already-made' };
  if (typeof from !== 'number' || !Number.isFinite(from)) {
    return { verdict: 'conflict', reason: `the decision has no from value: ${setting} reads ${current}, not changed` };
  }
  if (Math.abs(current - from) <= tolerance) return { verdict: 'apply' };
  return {
    verdict: 'conflict',
    reason:
      `${setting} reads ${current}, neither the decision's from ${from} (tolerance ${tolerance}) nor its to ${goal}: ` +
      'changed since the decision was made, not changed by it',
  };
}

import { createHash } from 'node:crypto';

const idOf = (prefix: string, parts: readonly (string | number)[]) =>
  `${prefix}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;

/**
 * One id per breach: the target, the policy, the rule and the event time its condition started to hold. The
 * firing and the resolved event of a breach share it, and a replay of the same samples gives it again.
 */
export function alertIdOf(targetId: string, policy: string, rule: string, breachStart: number): string {
  return idOf('a', [targetId, policy, rule, breachStart]);
}

/** As decision ids: the same target, policy version, trigger and event time always give the same id. */
export function explanationIdOf(
  targetId: string,
  policyVersion: string,
  trigger: { kind: string; name: string },
  eventTime: number,
): string {
  return idOf('e', [targetId, policyVersion, trigger.kind, trigger.name, eventTime]);
}

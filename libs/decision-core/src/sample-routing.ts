import type { ScalingPolicy } from '@surge/policy';

/** Which policies read the samples of each target: its own policy, and every policy naming it in metricsFrom. */
export function policiesBySampleTarget(policies: readonly ScalingPolicy[]): Map<string, ScalingPolicy[]> {
  const routes = new Map<string, ScalingPolicy[]>();
  const add = (targetId: string, policy: ScalingPolicy) =>
    routes.set(targetId, [...(routes.get(targetId) ?? []), policy]);
  for (const policy of policies) {
    add(policy.target.id, policy);
    for (const source of policy.metricsFrom) add(source, policy);
  }
  return routes;
}

/**
 * The samples of `fromTarget` that a policy may read. Another target's sample of the policy's own setting name
 * (its `replicas`, say) describes that other target, so it must never pass for this target's current value.
 */
export function samplesForPolicy<S extends { metric: string }>(
  policy: ScalingPolicy,
  fromTarget: string,
  samples: readonly S[],
): readonly S[] {
  if (fromTarget === policy.target.id) return samples;
  return samples.filter((sample) => sample.metric !== policy.setting);
}

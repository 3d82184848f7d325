import { isReservedMetric } from '@surge/contracts';
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
 * A name that describes a target's size rather than its workload: a reserved setting of any kind, or the
 * policy's own setting, for settings the reserved list cannot name (a PostgreSQL server setting).
 */
function isSettingName(policy: ScalingPolicy, metric: string): boolean {
  return metric === policy.setting || isReservedMetric(metric);
}

/**
 * Splits the samples of `fromTarget` that a policy reads into the target's observed value and its workload, the
 * same way for the rules engine and `surgectl simulate`.
 * - The policy's own setting from its own target is the observed value. It is handed to `onObserved` where the
 *   channel may carry it (a trace line of the setting); without `onObserved` it is dropped, as the rules engine
 *   drops it from the samples topic, which any ingest client writes: there the value comes from the executors.
 * - Every other setting name is dropped: another target's setting describes that other target, and a reserved
 *   name is never workload.
 * What remains is the workload, returned without a copy when nothing was dropped: the engine's hot path, where
 * most envelopes carry no setting at all.
 */
export function splitSamples<S extends { metric: string }>(
  policy: ScalingPolicy,
  fromTarget: string,
  samples: readonly S[],
  onObserved?: (sample: S) => void,
): readonly S[] {
  let clean = true;
  for (const sample of samples) if (isSettingName(policy, sample.metric)) clean = false;
  if (clean) return samples;
  const observedHere = onObserved !== undefined && fromTarget === policy.target.id;
  const workload: S[] = [];
  for (const sample of samples) {
    if (!isSettingName(policy, sample.metric)) workload.push(sample);
    else if (observedHere && sample.metric === policy.setting) onObserved(sample);
  }
  return workload;
}

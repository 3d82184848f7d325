import { isReservedMetric, RESERVED_METRICS } from '@surge/contracts';
import type { ScalingPolicy } from '@surge/policy';
import { metricsRead, type UnusedCounts } from './sample-admission';

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

/** What routing one source target's samples needs, computed once per policy reload. */
export interface SampleRoute {
  readers: readonly ScalingPolicy[];
  /** Every metric some reader reads, their settings included: any other sample is never kept. */
  read: ReadonlySet<string>;
  /** The reserved names and the readers' settings: every name splitSamples may take out for some reader. */
  settingNames: ReadonlySet<string>;
}

export const NO_ROUTE: SampleRoute = { readers: [], read: new Set(), settingNames: RESERVED_METRICS };

/** The route of each target whose samples some policy reads (policiesBySampleTarget, with its read sets). */
export function sampleRoutes(policies: readonly ScalingPolicy[]): Map<string, SampleRoute> {
  const routes = new Map<string, SampleRoute>();
  for (const [source, readers] of policiesBySampleTarget(policies)) {
    const settings = readers.map((policy) => policy.setting);
    routes.set(source, {
      readers,
      read: new Set([...readers.flatMap((policy) => [...metricsRead(policy)]), ...settings]),
      settingNames: new Set([...RESERVED_METRICS, ...settings]),
    });
  }
  return routes;
}

/**
 * One pass over an envelope's samples for all of its readers, the engine's hot path: a sample stamped after
 * `latestAllowed` (the wall clock plus the future-skew limit) is refused and counted `future`; one whose metric
 * no reader reads is counted `unread` (admitSamples drops it later, per reader). Says whether any sample bears
 * a setting name, so that splitSamples runs only for the envelopes that carry one. Returns the input itself
 * when nothing was refused.
 */
export function routeEnvelope<S extends { metric: string; timestamp: number }>(
  samples: readonly S[],
  route: SampleRoute,
  latestAllowed: number,
  unused: UnusedCounts,
): { samples: readonly S[]; settingNamed: boolean } {
  let kept: S[] | undefined;
  let settingNamed = false;
  for (let i = 0; i < samples.length; i += 1) {
    const sample = samples[i]!;
    if (sample.timestamp > latestAllowed) {
      unused.future += 1;
      kept ??= samples.slice(0, i);
      continue;
    }
    kept?.push(sample);
    if (!route.read.has(sample.metric)) unused.unread += 1;
    if (route.settingNames.has(sample.metric)) settingNamed = true;
  }
  return { samples: kept ?? samples, settingNamed };
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

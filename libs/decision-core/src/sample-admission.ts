import { BEFORE_PREFIX, conditionMetrics, type ScalingPolicy } from '@surge/policy';
import type { TargetState } from './state';

/** Why a sample that reached the engine was not used. */
export type UnusedReason = 'duplicate' | 'too_old' | 'future' | 'unread';

export type UnusedCounts = Record<UnusedReason, number>;

export function noUnused(): UnusedCounts {
  return { duplicate: 0, too_old: 0, future: 0, unread: 0 };
}

const readByPolicy = new WeakMap<ScalingPolicy, ReadonlySet<string>>();

/**
 * Every metric a policy reads: its metrics and its rules' conditions. Nothing else is worth keeping in its state;
 * a policy object is immutable, so the set is computed once per policy version.
 */
export function metricsRead(policy: ScalingPolicy): ReadonlySet<string> {
  let read = readByPolicy.get(policy);
  if (!read) {
    read = new Set([
      ...policy.metrics.map((m) => m.metric),
      ...policy.rules.flatMap((r) => conditionMetrics(r.when)),
      // A plan's verification reads metrics too; `before_x` is x as it was, so x itself is what is read.
      ...policy.rules.flatMap((r) => r.verify?.expression.metrics.map(unprefixed) ?? []),
    ]);
    readByPolicy.set(policy, read);
  }
  return read;
}

/**
 * The samples of one source target a policy can use, deduplicated by (source, metric, timestamp) against
 * `marks`, the newest time seen of each metric from that source, which it advances in place. A sample no newer
 * than its mark is a redelivery (`duplicate`, same time) or arrived out of order (`too_old`); a metric the policy
 * does not read is dropped (`unread`, not counted here: another policy may read it). Each sample is judged alone,
 * so one sample never hides another metric's, and two requests with other metrics at one timestamp both count.
 * Returns the input itself when every sample is usable: the hot path allocates nothing.
 */
export function admitSamples<S extends { metric: string; timestamp: number }>(
  samples: readonly S[],
  read: ReadonlySet<string>,
  marks: Record<string, number>,
  unused: UnusedCounts,
): readonly S[] {
  let usable: S[] | undefined;
  for (let i = 0; i < samples.length; i += 1) {
    const sample = samples[i]!;
    let reason: UnusedReason | undefined;
    if (!read.has(sample.metric)) reason = 'unread';
    else {
      const mark = marks[sample.metric];
      if (mark !== undefined && sample.timestamp <= mark) reason = sample.timestamp === mark ? 'duplicate' : 'too_old';
      else marks[sample.metric] = sample.timestamp;
    }
    if (reason === undefined) {
      usable?.push(sample);
      continue;
    }
    if (reason !== 'unread') unused[reason] += 1;
    usable ??= samples.slice(0, i);
  }
  return usable ?? samples;
}

/**
 * The state with only the samples of metrics the policy reads, and of its setting (the observed value, folded in
 * from the executors' reports): a state written before the engine kept only those, or under a policy version
 * that read more. Returned as it is when it holds nothing else.
 */
export function withReadSamplesOnly(state: TargetState, read: ReadonlySet<string>, setting: string): TargetState {
  let extra = false;
  for (const metric in state.samples) if (metric !== setting && !read.has(metric)) extra = true;
  if (!extra) return state;
  const samples: TargetState['samples'] = {};
  for (const metric in state.samples)
    if (metric === setting || read.has(metric)) samples[metric] = state.samples[metric]!;
  return { ...state, samples };
}

const unprefixed = (name: string) => (name.startsWith(BEFORE_PREFIX) ? name.slice(BEFORE_PREFIX.length) : name);

import { Injectable } from '@nestjs/common';
import type { AlertEvent, ScaleDecision, ScaleExplanation } from '@surge/contracts';
import { emptyState, foldObservedValue, type TargetState } from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';
import type { PlanReads } from '../policies/plan-index';
import type { ObservedSetting } from '../state/observed-setting.codec';
import type { OutboxEntry, StoredTarget, Watermarks } from '../state/stored-target.codec';
import {
  type ClaimWrite,
  type ExtraLoaded,
  type ExtraReads,
  TargetStateRepository,
} from '../state/target-state.repository';
import { DecisionOutbox } from './decision-outbox.service';
import { type LoadedTarget, planInputsOf } from './plan-inputs';

/** What each policy's target reads for its plans; none by default. */
export type PlanReadsOf = (policy: ScalingPolicy) => PlanReads | undefined;

/** One target's outcome, ready to be stored. */
export interface TargetCommit {
  id: string;
  state: TargetState;
  watermarks: Watermarks | undefined;
  decisions: ScaleDecision[];
  /** Published through the outbox with the decisions; optional, as most evaluations have none. */
  alerts?: AlertEvent[];
  explanations?: ScaleExplanation[];
  /** The fence the target's state was loaded at: its write is refused if another instance wrote it since. */
  fence?: number;
  /** Its plans' claims on other targets' settings, written once the state is stored (plan-inputs.ts). */
  claims?: ClaimWrite[];
}

/** Everything a target's commit publishes, in the order sent: decisions first, as before. */
function outboxOf(commit: TargetCommit): OutboxEntry[] {
  if (!commit.decisions.length && !commit.alerts?.length && !commit.explanations?.length) return [];
  return [
    ...commit.decisions.map((event): OutboxEntry => ({ kind: 'decision', event })),
    ...(commit.alerts ?? []).map((event): OutboxEntry => ({ kind: 'alert', event })),
    ...(commit.explanations ?? []).map((event): OutboxEntry => ({ kind: 'explanation', event })),
  ];
}

/**
 * The target's latest observation folded into its stored state, when it is of the policy's target and setting.
 * Folding is idempotent, so a target whose observation is folded already is returned as it is, uncopied.
 */
function withObservation(
  policy: ScalingPolicy,
  stored: StoredTarget | null,
  observed: ObservedSetting | null,
): StoredTarget | null {
  if (observed === null || observed.kind !== policy.target.kind || observed.setting !== policy.setting) return stored;
  const base = stored ?? { state: emptyState(), outbox: [] };
  const state = foldObservedValue(base.state, policy.setting, observed.value, observed.observedAt);
  return state === base.state ? stored : { ...base, state };
}

function extraReadsOf(policy: ScalingPolicy, reads: PlanReads | undefined): ExtraReads | undefined {
  return reads && { settings: reads.settings, claimsOf: reads.claimable ? policy.setting : undefined };
}

/** A target its plans read for gets their inputs, and a state even when it has none stored yet. */
function withPlanInputs(
  policy: ScalingPolicy,
  stored: StoredTarget | null,
  reads: PlanReads | undefined,
  extra: ExtraLoaded | undefined,
): LoadedTarget | null {
  if (!reads || !extra) return stored;
  return { ...(stored ?? { state: emptyState(), outbox: [] }), plan: planInputsOf(policy, reads.settings, extra) };
}

/**
 * Loads and stores targets' state. Loading folds in the target's latest observation (kept apart, since another
 * instance may write it) and publishes whatever a crash left in an outbox; committing stores every target's new
 * state, a target that decided going through the outbox first.
 */
@Injectable()
export class StateCommit {
  constructor(
    private readonly repository: TargetStateRepository,
    private readonly outbox: DecisionOutbox,
  ) {}

  /** One round trip for a batch. Stranded decisions are published here; the batch's commit empties the outboxes. */
  async loadMany(
    policies: readonly ScalingPolicy[],
    readsOf: PlanReadsOf = () => undefined,
  ): Promise<(LoadedTarget | null)[]> {
    const reads = policies.map(readsOf);
    const extra = reads.some(Boolean) ? reads.map((r, index) => extraReadsOf(policies[index]!, r)) : undefined;
    const loaded = await this.repository.loadMany(
      policies.map((policy) => policy.target.id),
      extra,
    );
    await this.outbox.replay(loaded.stored);
    return loaded.stored.map((stored, index) => {
      const policy = policies[index]!;
      const observed = withObservation(policy, stored, loaded.observed[index]!);
      return withPlanInputs(policy, observed, reads[index], loaded.extra?.[index]);
    });
  }

  /** One target, its outbox published and emptied before its state is used. */
  async load(policy: ScalingPolicy, reads?: PlanReads): Promise<LoadedTarget> {
    const loaded = await this.repository.load(policy.target.id, extraReadsOf(policy, reads));
    const stored = loaded.stored ?? { state: emptyState(), outbox: [] };
    if (await this.outbox.replay([stored])) {
      stored.outbox = [];
      await this.repository.save(policy.target.id, stored);
      stored.fence = (stored.fence ?? 0) + 1;
    }
    return withPlanInputs(policy, withObservation(policy, stored, loaded.observed), reads, loaded.extra)!;
  }

  /** The target's observation, stored apart from its state; an older one than the observation stored is ignored. */
  async observe(targetId: string, observed: ObservedSetting): Promise<void> {
    await this.repository.saveObserved(targetId, observed);
  }

  /** An observation of a setting some policy's plan acts on, kept for that policy's loads, newer-wins as well. */
  async observeForPlans(targetId: string, observed: ObservedSetting): Promise<void> {
    await this.repository.saveObservedSetting(targetId, observed);
  }

  /**
   * Saves each target's new state. A target that decided (or alerted, or explained) has those events saved in its
   * outbox first and then published, so a crash at any point replays the same ids rather than losing or
   * re-deciding them.
   */
  async commit(results: readonly TargetCommit[]): Promise<void> {
    const outboxes = results.map(outboxOf);
    const decided = results.flatMap((r, index) =>
      outboxes[index]!.length
        ? [{ id: r.id, stored: { state: r.state, outbox: outboxes[index]!, watermarks: r.watermarks, fence: r.fence } }]
        : [],
    );
    if (decided.length) await this.outbox.deliver(decided);
    // The outbox write advanced a decided target's fence by one: this write expects that.
    await this.repository.saveMany(
      results.map((r, index): [string, StoredTarget] => [
        r.id,
        {
          state: r.state,
          outbox: [],
          watermarks: r.watermarks,
          fence: (r.fence ?? 0) + (outboxes[index]!.length ? 1 : 0),
        },
      ]),
    );
    // Only once the state that holds them is stored: a fenced write publishes no claim of a state it lost.
    const claims = results.flatMap((r) => r.claims ?? []);
    if (claims.length) await this.repository.saveClaims(claims);
  }
}

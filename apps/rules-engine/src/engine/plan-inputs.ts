import { claimOwnerOf, type ObservedLookup, type PlanClaim, planClaims, type TargetState } from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';
import type { ClaimWrite, ExtraLoaded, SettingRef } from '../state/target-state.repository';
import type { StoredTarget } from '../state/stored-target.codec';

/** What a target's plans read of other keys at load: held in memory for the evaluation, never stored. */
export interface PlanInputs {
  observed: ObservedLookup;
  /** Other policies' plans' claims on this policy's own target and setting. */
  claims: PlanClaim[];
  /** The other targets' settings this policy's plans act on: where its claims are written. */
  settings: readonly SettingRef[];
}

/** A target as StateCommit loads it for an evaluation. */
export type LoadedTarget = StoredTarget & { plan?: PlanInputs };

const refKey = (kind: string, id: string, setting: string) => `${kind}\u0000${id}\u0000${setting}`;

/**
 * The policy's own claims are excluded: its state holds them already, and the core adds them itself. They are the
 * ones its target's runs hold, whatever the policy's name was when they were written.
 */
export function planInputsOf(policy: ScalingPolicy, settings: readonly SettingRef[], loaded: ExtraLoaded): PlanInputs {
  const values = new Map(loaded.observed.map((o) => [refKey(o.target.kind, o.target.id, o.setting), o.value]));
  return {
    observed: (target, setting) => values.get(refKey(target.kind, target.id, setting)),
    claims: loaded.claims.filter((claim) => claim.policyTarget !== policy.target.id),
    settings,
  };
}

/**
 * The claim writes of a commit: each owner's field on each setting the policy's plans act on, set while held and
 * deleted once released. A policy whose plans hold no claim, before or after, writes nothing; one holding claims
 * rewrites them from its run state at each commit (pushing their expiry on), so a write lost to a crash between
 * the state's and the claims' is made good by the next. A lost release is made good by the reconciliation at the
 * next start or reload (claim-reconciler.service.ts), else by the claim's expiry.
 */
export function claimWrites(
  policy: ScalingPolicy,
  plan: PlanInputs | undefined,
  before: TargetState,
  after: TargetState,
): ClaimWrite[] | undefined {
  if (!plan?.settings.length || (!before.plans && !after.plans)) return undefined;
  const on = (claim: PlanClaim, ref: SettingRef) =>
    claim.setting === ref.setting && claim.target.id === ref.target.id && claim.target.kind === ref.target.kind;
  // The claims on the policy's own setting are read from its state: only those on the others are written.
  const onOthers = (claims: readonly PlanClaim[]) => claims.filter((c) => plan.settings.some((ref) => on(c, ref)));
  const held = onOthers(planClaims(policy, after));
  if (!held.length && !onOthers(planClaims(policy, before)).length) return undefined;
  const writes: ClaimWrite[] = [];
  for (const rule of policy.rules) {
    if (!rule.plan) continue;
    const owner = claimOwnerOf(policy, rule.name);
    for (const ref of plan.settings) {
      const claim = held.find((c) => c.owner === owner && on(c, ref));
      writes.push(claim ? { on: ref, owner, claim } : { on: ref, owner });
    }
  }
  return writes;
}

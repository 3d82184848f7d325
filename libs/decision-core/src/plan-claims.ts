import type { ScalingPolicy } from '@surge/policy';
import type { AppliedConstraint } from './explanation';
import { heldValue } from './plan-state';
import type { TargetState } from './state';

/**
 * A running plan's hold on a setting it changed: who owns a setting while a plan runs. A step that raised the
 * setting holds a floor (another policy may still scale it up, not back down), one that lowered it a cap (it may
 * go lower, not back up), at the value the plan holds it at now, which its revert then walks back. Released when
 * the run is done. A dry-run's run claims nothing: it changed nothing.
 */
export interface PlanClaim {
  target: { kind: string; id: string };
  setting: string;
  value: number;
  direction: 'floor' | 'cap';
  /**
   * `policy/rule@policy-target` (claimOwnerOf): the policy's target is part of it, since two policies of one name
   * may scale two targets, and it is the target's state that holds the run.
   */
  owner: string;
  /** The target of the policy whose run holds the claim: where that run's state is kept. */
  policyTarget: string;
  runId: string;
}

/** Who holds a claim: one field per owner in the claimed setting's hash. */
export function claimOwnerOf(policy: Pick<ScalingPolicy, 'name' | 'target'>, rule: string): string {
  return `${policy.name}/${rule}@${policy.target.id}`;
}

const NO_CLAIMS: readonly PlanClaim[] = Object.freeze([]);

/** The claims a policy's runs make, the ones that go out to other policies: none for a dry run (see runClaims). */
export function planClaims(policy: ScalingPolicy, state: TargetState): readonly PlanClaim[] {
  return policy.dryRun ? NO_CLAIMS : runClaims(policy, state);
}

/**
 * What a policy's runs hold, dry or not: a dry run's are its preview's own, which hold its own preview's value and
 * settings (dry-run-preview.ts), but never go out: they changed nothing anyone else must respect.
 */
export function runClaims(policy: ScalingPolicy, state: TargetState): readonly PlanClaim[] {
  if (!state.plans) return NO_CLAIMS;
  const claims: PlanClaim[] = [];
  for (const rule of policy.rules) {
    const run = state.plans[rule.name];
    // A run of an earlier shape of the plan holds nothing: its steps no longer line up (plan-runs.ts).
    if (!rule.plan || !run || run.phase === 'done' || run.steps.length !== rule.plan.steps.length) continue;
    run.steps.forEach((step, index) => {
      // A step owns its setting from the moment it is decided: the value it asked for, then the value it holds.
      const value = step.status === 'decided' && run.phase === 'applying' ? step.to : heldValue(step);
      if (value === undefined || step.before === undefined || value === step.before) return;
      const spec = rule.plan!.steps[index]!;
      claims.push({
        target: { kind: spec.target.kind, id: spec.target.id },
        setting: spec.setting,
        value,
        direction: value > step.before ? 'floor' : 'cap',
        owner: claimOwnerOf(policy, rule.name),
        policyTarget: policy.target.id,
        runId: run.runId,
      });
    });
  }
  return claims;
}

/**
 * Holds a proposed change of the policy's setting to the claims on it: a move against a claim stops at the
 * claimed value (or where the setting is, if it is already past it), a move with it goes through. A claim
 * never creates a move by itself: a setting someone moved past a claim by hand is not pushed back.
 */
export function holdToClaims(
  policy: ScalingPolicy,
  current: number,
  proposed: number,
  claims: readonly PlanClaim[],
): { value: number; constraint?: AppliedConstraint } {
  let value = proposed;
  let by: PlanClaim | undefined;
  for (const claim of claims) {
    if (claim.target.id !== policy.target.id || claim.target.kind !== policy.target.kind) continue;
    if (claim.setting !== policy.setting) continue;
    if (claim.direction === 'floor' && value < current) {
      const held = Math.max(value, Math.min(claim.value, current));
      if (held !== value) [value, by] = [held, claim];
    }
    if (claim.direction === 'cap' && value > current) {
      const held = Math.min(value, Math.max(claim.value, current));
      if (held !== value) [value, by] = [held, claim];
    }
  }
  if (!by) return { value };
  return {
    value,
    constraint: {
      name: 'plan-claim',
      before: proposed,
      after: value,
      detail: `plan ${by.owner} holds ${policy.setting} at ${by.direction === 'floor' ? 'at least' : 'at most'} ${by.value}`,
    },
  };
}

/** The settings of other targets a policy's plans act on: the engine keeps their observed values for it. */
export function planSettings(policy: ScalingPolicy): { target: { kind: string; id: string }; setting: string }[] {
  const seen = new Map<string, { target: { kind: string; id: string }; setting: string }>();
  for (const rule of policy.rules)
    for (const step of rule.plan?.steps ?? []) {
      const own = step.target.id === policy.target.id && step.target.kind === policy.target.kind;
      if (own && step.setting === policy.setting) continue;
      seen.set(`${step.target.kind}\u0000${step.target.id}\u0000${step.setting}`, {
        target: { kind: step.target.kind, id: step.target.id },
        setting: step.setting,
      });
    }
  return [...seen.values()];
}

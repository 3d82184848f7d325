import { planSettings } from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';

/** A setting of some target, as a plan step names it. */
export type PlanSetting = ReturnType<typeof planSettings>[number];

/**
 * What loading a policy's target reads beyond its own keys, for its plans: the observed values of the other
 * targets' settings its plans act on (and whose claims it writes), and the claims others' plans hold on its own
 * setting, when some plan acts on it.
 */
export interface PlanReads {
  settings: readonly PlanSetting[];
  /** Set when some other policy's plan acts on this policy's own target and setting. */
  claimable: boolean;
}

const keyOf = (kind: string, id: string, setting: string) => `${kind}\u0000${id}\u0000${setting}`;

/**
 * The plans of all policies in force, indexed once per reload: the engine asks it for every observation and
 * every load, and a policy that neither has plans acting on others nor can be claimed must cost nothing.
 */
export class PlanIndex {
  private constructor(
    private readonly acted: ReadonlySet<string>,
    private readonly reads: ReadonlyMap<string, PlanReads>,
  ) {}

  static of(policies: Iterable<ScalingPolicy>): PlanIndex {
    const all = [...policies];
    const settingsOf = new Map(all.map((policy) => [policy.target.id, planSettings(policy)]));
    const acted = new Set<string>();
    for (const settings of settingsOf.values())
      for (const { target, setting } of settings) acted.add(keyOf(target.kind, target.id, setting));
    const reads = new Map<string, PlanReads>();
    for (const policy of all) {
      const settings = settingsOf.get(policy.target.id) ?? [];
      // planSettings leaves out a policy's own target and setting, so a hit here is another policy's plan.
      const claimable = acted.has(keyOf(policy.target.kind, policy.target.id, policy.setting));
      if (settings.length || claimable) reads.set(policy.target.id, { settings, claimable });
    }
    return new PlanIndex(acted, reads);
  }

  /** Whether some policy's plan acts on this setting of this target: its observations are then kept for it. */
  actsOn(target: { kind: string; id: string }, setting: string): boolean {
    return this.acted.size > 0 && this.acted.has(keyOf(target.kind, target.id, setting));
  }

  /** Undefined for a policy whose target loads nothing more than its own keys. */
  readsOf(policy: ScalingPolicy): PlanReads | undefined {
    return this.reads.size ? this.reads.get(policy.target.id) : undefined;
  }
}

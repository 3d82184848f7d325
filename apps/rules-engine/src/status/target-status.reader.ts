import { Injectable } from '@nestjs/common';
import { TARGET_STATUS_SCHEMA_VERSION, type TargetStatus, type TargetStatusList } from '@surge/contracts';
import { emptyState, foldObservedValue, type TargetState } from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';
import { ControlState } from '../control/control-state.service';
import { PolicyStore } from '../policies/policy-store.service';
import type { ObservedSetting } from '../state/observed-setting.codec';
import type { StoredTarget } from '../state/stored-target.codec';
import { TargetStateRepository } from '../state/target-state.repository';
import { buildTargetStatus, statusLine } from './target-status';

/**
 * Targets' status from their stored state, read-only: one MGET, no outbox replay and no write (StateCommit's
 * load replays and stores, which a read must never do). The observation is folded in as the next evaluation
 * would fold it.
 */
@Injectable()
export class TargetStatusReader {
  constructor(
    private readonly policies: PolicyStore,
    private readonly control: ControlState,
    private readonly repository: TargetStateRepository,
  ) {}

  /** Undefined when no policy scales the target. */
  async status(targetId: string): Promise<TargetStatus | undefined> {
    const policy = this.policies.policyFor(targetId);
    if (!policy) return undefined;
    const [status] = await this.statuses([policy]);
    return status;
  }

  async list(): Promise<TargetStatusList> {
    const statuses = await this.all();
    return {
      schemaVersion: TARGET_STATUS_SCHEMA_VERSION,
      globalPause: this.control.globalPause,
      targets: statuses.map(statusLine),
    };
  }

  /** Every policy target's status, by target id, from one MGET: what /status lists and /metrics exposes. */
  all(): Promise<TargetStatus[]> {
    return this.statuses(this.policies.all().sort((a, b) => a.target.id.localeCompare(b.target.id)));
  }

  private async statuses(policies: readonly ScalingPolicy[]): Promise<TargetStatus[]> {
    const loaded = await this.repository.loadMany(policies.map((p) => p.target.id));
    const now = Date.now();
    return policies.map((policy, index) =>
      buildTargetStatus({
        policy: this.control.effective(policy),
        state: stateWithObservation(policy, loaded.stored[index] ?? null, loaded.observed[index] ?? null),
        now,
        globalPause: this.control.globalPause,
      }),
    );
  }
}

/** As StateCommit folds it: only an observation of the policy's kind and setting is the current value. */
function stateWithObservation(
  policy: ScalingPolicy,
  stored: StoredTarget | null,
  observed: ObservedSetting | null,
): TargetState {
  const state = stored?.state ?? emptyState();
  if (observed === null || observed.kind !== policy.target.kind || observed.setting !== policy.setting) return state;
  return foldObservedValue(state, policy.setting, observed.value, observed.observedAt);
}

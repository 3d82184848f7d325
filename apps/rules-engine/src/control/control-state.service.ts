import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type ControlIntent,
  type ControlIntentEvent,
  NO_INTENT,
  policyIntent,
  reduceControl,
} from '@surge/control-plane';
import type { ControlEvent } from '@surge/contracts';
import type { ScalingPolicy } from '@surge/policy';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';

/**
 * Operator overrides from the control topic: a global pause, and per-policy pause and dry-run. They sit on top
 * of the policy files, so an operator can stop a policy without editing its ConfigMap. The events are read into
 * an intent by the control plane's reducer, the same one the executors use. The global dry-run is the
 * executors' to enforce, so it does not change a decision here.
 */
@Injectable()
export class ControlState {
  private readonly logger = new Logger(ControlState.name);
  private readonly bootPause: boolean;
  private intent: ControlIntent = NO_INTENT;

  constructor(@Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig) {
    this.bootPause = config.SURGE_RULES_GLOBAL_PAUSE;
  }

  /**
   * Paused by the environment (an emergency floor the console cannot lift: the compacted control topic keeps an
   * old resume forever) or by the operator's latest word.
   */
  get globalPause(): boolean {
    return this.bootPause || this.intent.global.paused === true;
  }

  apply(event: ControlIntentEvent & Partial<Pick<ControlEvent, 'actor' | 'reason'>>): void {
    const next = reduceControl(this.intent, event);
    if (next === this.intent) return;
    this.intent = next;
    const scope = event.policy ?? 'every policy';
    this.logger.log(`${event.type} for ${scope} by ${event.actor}${event.reason ? `: ${event.reason}` : ''}`);
  }

  /** Every pause in force or not, for the `surge_paused` gauge: the global one and each policy's effective one. */
  pauses(policies: readonly ScalingPolicy[]): [scope: string, paused: boolean][] {
    return [
      ['global', this.globalPause],
      ...policies.map((policy): [string, boolean] => [`policy:${policy.name}`, this.effective(policy).paused]),
    ];
  }

  /** The policy as the operator wants it now. */
  effective(policy: ScalingPolicy): ScalingPolicy {
    const { paused, dryRun } = policyIntent(this.intent, policy.name);
    if (paused === undefined && dryRun === undefined) return policy;
    return { ...policy, paused: paused ?? policy.paused, dryRun: dryRun ?? policy.dryRun };
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ControlEvent } from '@surge/contracts';
import type { ScalingPolicy } from '@surge/policy';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';

/**
 * Operator overrides from the control topic: a global pause, and per-policy pause and dry-run. They sit on top
 * of the policy files, so an operator can stop a policy without editing its ConfigMap.
 */
@Injectable()
export class ControlState {
  private readonly logger = new Logger(ControlState.name);
  globalPause: boolean;
  private readonly paused = new Map<string, boolean>();
  private readonly dryRun = new Map<string, boolean>();

  constructor(@Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig) {
    this.globalPause = config.SURGE_RULES_GLOBAL_PAUSE;
  }

  apply(event: ControlEvent): void {
    const scope = event.policy ?? 'every policy';
    switch (event.type) {
      case 'pause':
      case 'resume':
        if (event.policy) this.paused.set(event.policy, event.type === 'pause');
        else this.globalPause = event.type === 'pause';
        break;
      case 'dry-run-on':
      case 'dry-run-off':
        if (event.policy) this.dryRun.set(event.policy, event.type === 'dry-run-on');
        break;
      default:
        return;
    }
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
    const paused = this.paused.get(policy.name);
    const dryRun = this.dryRun.get(policy.name);
    if (paused === undefined && dryRun === undefined) return policy;
    return { ...policy, paused: paused ?? policy.paused, dryRun: dryRun ?? policy.dryRun };
  }
}

import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  type ControlIntent,
  type ControlIntentEvent,
  type ExpiringPause,
  globalIntent,
  NO_INTENT,
  PauseExpiryTimers,
  policyIntent,
  reduceControl,
  type ScopeIntent,
} from '@surge/control-plane';
import type { ApprovalRef, ControlEvent } from '@surge/contracts';
import type { ScalingPolicy } from '@surge/policy';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { PlanAnswers } from './plan-answers';

/** A pause an operator set on the control topic and that holds now. */
export interface OperatorPause {
  /** Absent for the global pause. */
  policy?: string;
  /** When it was published: with the scope, what names the pause. */
  since: number;
}

/**
 * Operator overrides from the control topic: a global pause, and per-policy pause and dry-run. They sit on top
 * of the policy files, so an operator can stop a policy without editing its ConfigMap. The events are read into
 * an intent by the control plane's reducer, the same one the executors use. The global dry-run is the
 * executors' to enforce, so it does not change a decision here. A pause with an expiry stops holding at it,
 * by the clock, without waiting for the resume the control plane then publishes: the next sample already
 * evaluates unpaused, and the expiry timer only tells (a log line, the listeners such as the pause alert).
 */
@Injectable()
export class ControlState implements OnModuleDestroy {
  private readonly logger = new Logger(ControlState.name);
  private readonly bootPause: boolean;
  private intent: ControlIntent = NO_INTENT;
  private readonly listeners: (() => void)[] = [];
  private readonly expiries = new PauseExpiryTimers((pause) => this.expired(pause));

  constructor(@Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig) {
    this.bootPause = config.SURGE_RULES_GLOBAL_PAUSE;
  }

  /**
   * Paused by the environment (an emergency floor the console cannot lift: the compacted control topic keeps an
   * old resume forever) or by the operator's latest word, unless it has expired.
   */
  get globalPause(): boolean {
    return this.bootPause || globalIntent(this.intent, Date.now()).paused === true;
  }

  /** Operators' answers to plan steps awaiting approval: another kind of event on the same topic. */
  readonly answers = new PlanAnswers();

  apply(event: ControlIntentEvent & Partial<Pick<ControlEvent, 'actor' | 'reason'>> & { plan?: ApprovalRef }): void {
    if (this.answers.apply({ actor: 'system', ...event })) {
      const plan = event.plan!;
      this.logger.log(`${event.type} of plan run ${plan.runId} step ${plan.step} by ${event.actor ?? 'system'}`);
      return;
    }
    const next = reduceControl(this.intent, event);
    if (next === this.intent) return;
    this.intent = next;
    const scope = event.policy ?? 'every policy';
    const until = event.until === undefined ? '' : ` until ${new Date(event.until).toISOString()}`;
    this.logger.log(`${event.type} for ${scope}${until} by ${event.actor}${event.reason ? `: ${event.reason}` : ''}`);
    this.expiries.sync(this.intent);
    this.changed();
  }

  /** Called after every change of the pauses in force, an expiry included. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The operator's pauses holding now (not the environment's, nor a policy file's). */
  operatorPauses(now = Date.now()): OperatorPause[] {
    const scopes: [string | undefined, ScopeIntent][] = [
      [undefined, globalIntent(this.intent, now)],
      ...Object.keys(this.intent.policies).map((name): [string, ScopeIntent] => [
        name,
        policyIntent(this.intent, name, now),
      ]),
    ];
    return scopes.flatMap(([policy, scope]) =>
      scope.paused === true ? [{ ...(policy ? { policy } : {}), since: scope.pausedAt ?? 0 }] : [],
    );
  }

  /** When the operator's pause or resume of a scope took effect (an expiry counts as a resume at its time). */
  pauseChangedAt(policy: string | undefined, now = Date.now()): number | undefined {
    return (policy ? policyIntent(this.intent, policy, now) : globalIntent(this.intent, now)).pausedAt;
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
    const { paused, dryRun } = policyIntent(this.intent, policy.name, Date.now());
    if (paused === undefined && dryRun === undefined) return policy;
    return { ...policy, paused: paused ?? policy.paused, dryRun: dryRun ?? policy.dryRun };
  }

  onModuleDestroy(): void {
    this.expiries.stop();
  }

  private expired(pause: ExpiringPause): void {
    this.logger.log(
      `pause of ${pause.policy ?? 'every policy'} expired at ${new Date(pause.until).toISOString()}: resumed`,
    );
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

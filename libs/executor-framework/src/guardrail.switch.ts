import {
  type ControlIntent,
  type ControlIntentEvent,
  globalIntent,
  NO_INTENT,
  reduceControl,
} from '@surge/control-plane';
import type { GuardrailState } from '@surge/executor-core';

/**
 * The global pause and dry-run: the operator's intent from the control topic, read by the control plane's reducer
 * (the one the rules engine uses), on top of the boot setting. A pause or dry-run set at boot is an emergency
 * floor the console cannot lift: the control topic is compacted, so a resume pressed months ago is still on it
 * and would otherwise cancel the environment's pause silently. Per-policy pauses are in that intent too, but
 * they are the rules engine's business: an executor only obeys the global scope.
 */
export class GuardrailSwitch {
  private intent: ControlIntent = NO_INTENT;

  constructor(private readonly initial: GuardrailState) {}

  /** A pause whose expiry has passed no longer holds, whether or not the control plane's resume has arrived. */
  current(now = Date.now()): GuardrailState {
    const { paused, dryRun } = globalIntent(this.intent, now);
    return { paused: this.initial.paused || paused === true, dryRun: this.initial.dryRun || dryRun === true };
  }

  apply(event: ControlIntentEvent): void {
    this.intent = reduceControl(this.intent, event);
  }
}

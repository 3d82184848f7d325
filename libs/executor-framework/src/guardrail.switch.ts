import type { ControlEvent } from '@surge/contracts';
import type { GuardrailState } from '@surge/executor-core';

/** The global pause and dry-run, set at boot from the environment and flipped by control events. */
export class GuardrailSwitch {
  private state: GuardrailState;

  constructor(initial: GuardrailState) {
    this.state = { ...initial };
  }

  current(): GuardrailState {
    return { ...this.state };
  }

  /** Only global events (no policy named) concern executors; per-policy pauses are the rules engine's business. */
  apply(event: Pick<ControlEvent, 'type' | 'policy'>): void {
    if (event.policy) return;
    if (event.type === 'pause') this.state.paused = true;
    else if (event.type === 'resume') this.state.paused = false;
    else if (event.type === 'dry-run-on') this.state.dryRun = true;
    else if (event.type === 'dry-run-off') this.state.dryRun = false;
  }
}

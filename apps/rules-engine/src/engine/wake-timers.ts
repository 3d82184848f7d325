import { nextWakeAt, type TargetState } from '@surge/decision-core';
import type { ScalingPolicy } from '@surge/policy';

/** setTimeout's limit; a wake-up further away is set again by the next sample. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Called when a target's wake-up is due, with the event time it was due at. */
export type WakeHandler = (targetId: string, wakeAt: number) => void;

/**
 * One timer per target for the next moment it must be evaluated without a sample: a `for` window that expires
 * or a schedule that starts. Timers run in event time: the wait is the distance from the last evaluation's clock
 * to the wake-up, and the handler evaluates at the wake-up's time, not the wall clock's.
 */
export class WakeTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onWake: WakeHandler) {}

  /**
   * Replaces the target's timer with one for its next wake-up after this state, if it has one. `clock` is the
   * time the state was evaluated at: its last evaluation's, unless a plan step's result moved it on since.
   */
  schedule(policy: ScalingPolicy, state: TargetState, clock: number | null = state.lastEvaluatedAt): void {
    const targetId = policy.target.id;
    const existing = this.timers.get(targetId);
    if (existing) {
      clearTimeout(existing);
      this.timers.delete(targetId);
    }
    if (clock === null) return;
    const wake = nextWakeAt(policy, state, clock);
    if (wake === null || wake - clock > MAX_TIMER_MS) return;
    const timer = setTimeout(() => {
      this.timers.delete(targetId);
      this.onWake(targetId, wake);
    }, wake - clock);
    // A pending wake-up never keeps the process alive on its own.
    timer.unref();
    this.timers.set(targetId, timer);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

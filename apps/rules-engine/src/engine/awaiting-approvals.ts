import type { TargetState } from '@surge/decision-core';

/**
 * Which target's run each step awaiting approval belongs to, as this instance last stored it: an answer on the
 * control topic names only the run, and this is how it finds the lane to evaluate at once. Memory only: after a
 * restart an answer is read at the target's next evaluation (a sample, or the deadline's timer).
 */
export class AwaitingApprovals {
  private readonly targets = new Map<string, string>();

  track(targetId: string, state: TargetState): void {
    for (const run of Object.values(state.plans ?? {})) {
      const awaiting = run.steps.some((step) => step.status === 'awaiting-approval');
      if (awaiting) this.targets.set(run.runId, targetId);
      else this.targets.delete(run.runId);
    }
  }

  targetOf(runId: string): string | undefined {
    return this.targets.get(runId);
  }
}

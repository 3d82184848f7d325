import { backoffDelayMs, type RetryPolicy } from '@surge/executor-core';
import type { ScaleDecision } from '@surge/contracts';
import type { BaselineStore } from './baseline.store';
import { isRetryable } from './executor.error';
import type { Executor, ResolvedTarget } from './executor.interface';
import { sleep, withTimeout } from './timing';

export interface ApplyTimings {
  retry: RetryPolicy;
  /** Bound on one call to the target. */
  attemptTimeoutMs: number;
  /** How long to keep reading back before reporting `verified: false`. */
  verifyTimeoutMs: number;
  verifyIntervalMs: number;
}

export type ApplyOutcome =
  | { ok: true; before: number; after: number | null; verified: boolean }
  | { ok: false; before: number | null; error: unknown };

/** Reads, checks, applies and verifies one value on one target, retrying transient failures with backoff. */
export class ApplyRunner {
  constructor(
    private readonly timings: ApplyTimings,
    private readonly baselines: BaselineStore,
  ) {}

  async run(executor: Executor, target: ResolvedTarget, decision: ScaleDecision, value: number): Promise<ApplyOutcome> {
    let before: number | null = null;
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.timings.retry.retries; attempt += 1) {
      if (attempt > 0) await sleep(backoffDelayMs(attempt, this.timings.retry));
      try {
        // Independent reads of the target, so they overlap: the check must not add its round trips to the latency.
        const [read, check] = await Promise.allSettled([
          this.call(executor.read(target, decision.setting), 'read'),
          this.call(executor.check?.(target, decision.setting, value) ?? Promise.resolve(), 'check'),
        ]);
        if (read.status === 'fulfilled') before = read.value;
        // A refusal outranks a failed read: it is the answer, and a retry would not change it.
        if (check.status === 'rejected') throw check.reason;
        if (read.status === 'rejected') throw read.reason;
        const current = read.value;
        let effective = value;
        if (current !== value) {
          const chosen = await this.call(
            executor.apply(target, decision.setting, value, { decision, before: current, baselines: this.baselines }),
            'apply',
          );
          if (typeof chosen === 'number') effective = chosen;
        }
        const { after, verified } = await this.verify(executor, target, decision.setting, effective);
        return { ok: true, before: current, after, verified };
      } catch (error) {
        lastError = error;
        if (!isRetryable(error)) break;
      }
    }
    return { ok: false, before, error: lastError };
  }

  private call<T>(work: Promise<T>, what: string): Promise<T> {
    return withTimeout(work, this.timings.attemptTimeoutMs, what);
  }

  /**
   * Polls the read-back value until it shows the change or the timeout passes; the last value read is `after`.
   * A failing read-back never fails the action: the change was applied, it is only reported not verified.
   */
  private async verify(
    executor: Executor,
    target: ResolvedTarget,
    setting: string,
    value: number,
  ): Promise<{ after: number | null; verified: boolean }> {
    const deadline = Date.now() + this.timings.verifyTimeoutMs;
    const readBack = (executor.readBack ?? executor.read).bind(executor);
    let after: number | null = null;
    for (;;) {
      try {
        after = await this.call(readBack(target, setting), 'read back');
      } catch {
        // keep polling until the deadline
      }
      if (after === value || Date.now() >= deadline) return { after, verified: after === value };
      await sleep(this.timings.verifyIntervalMs);
    }
  }
}

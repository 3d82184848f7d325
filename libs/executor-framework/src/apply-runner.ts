import {
  backoffDelayMs,
  DEFAULT_READY_TIMEOUT_SECONDS,
  judgeChangeLimits,
  judgePrecondition,
  type RetryPolicy,
} from '@surge/executor-core';
import type { ScaleDecision } from '@surge/contracts';
import type { BaselineStore } from './baseline.store';
import { ExecutorError, ExecutorErrorCode, isRetryable } from './executor.error';
import type { Executor, Readiness, ResolvedTarget } from './executor.interface';
import { sleep, withTimeout } from './timing';

export interface ApplyTimings {
  retry: RetryPolicy;
  /** Bound on one call to the target. */
  attemptTimeoutMs: number;
  /** How long to keep reading back before reporting `verified: false`. */
  verifyTimeoutMs: number;
  verifyIntervalMs: number;
}

/** What the interval guardrail needs besides the decision. */
export interface ChangeHistory {
  /** When the executor last changed this setting of this target (epoch ms), or null. */
  lastChangedAt: number | null;
  now: number;
}

export type ApplyOutcome =
  /**
   * `changed`: `apply` was called; false when the target already read the value (the change was made before).
   * `readiness`: absent when the executor cannot tell readiness (no `awaitReady`).
   */
  | {
      ok: true;
      before: number;
      after: number | null;
      verified: boolean;
      changed: boolean;
      readiness?: Readiness;
    }
  | { ok: false; before: number | null; error: unknown };

/**
 * Reads, checks, applies and verifies one value on one target, retrying transient failures with backoff. Each
 * attempt checks before it acts (`judgePrecondition`): at the value already, nothing is applied; at the decision's
 * `from`, the target's change guardrails are held and the value applied; anywhere else the decision is refused as a
 * conflict. Because every attempt reads first, a retry after an apply whose answer was lost does not apply twice.
 */
export class ApplyRunner {
  constructor(
    private readonly timings: ApplyTimings,
    private readonly baselines: BaselineStore,
  ) {}

  /** `value` is the decision's `to` held inside the target's bounds. */
  async run(
    executor: Executor,
    target: ResolvedTarget,
    decision: ScaleDecision,
    value: number,
    history: ChangeHistory = { lastChangedAt: null, now: Date.now() },
  ): Promise<ApplyOutcome> {
    let before: number | null = null;
    let changed = false;
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
        if (this.mustApply(target, decision, value, history, current)) {
          changed = true;
          const chosen = await this.call(
            executor.apply(target, decision.setting, value, { decision, before: current, baselines: this.baselines }),
            'apply',
          );
          if (typeof chosen === 'number') effective = chosen;
        }
        const { after, verified } = await this.verify(executor, target, decision.setting, effective);
        const readiness = await this.awaitReady(executor, target, decision.setting, effective);
        return { ok: true, before: current, after, verified, changed, ...(readiness ? { readiness } : {}) };
      } catch (error) {
        lastError = error;
        if (!isRetryable(error)) break;
      }
    }
    return { ok: false, before, error: lastError };
  }

  /** False when the target already has the value; throws when the decision may not be applied to what was read. */
  private mustApply(
    target: ResolvedTarget,
    decision: ScaleDecision,
    value: number,
    history: ChangeHistory,
    current: number,
  ): boolean {
    const { entry } = target;
    const setting = decision.setting;
    const precondition = judgePrecondition({
      setting,
      current,
      goal: value,
      from: decision.from,
      tolerance: entry.fromTolerance,
    });
    if (precondition.verdict === 'already-made') return false;
    if (precondition.verdict === 'conflict') throw new ExecutorError(ExecutorErrorCode.Mismatch, precondition.reason);
    const limits = judgeChangeLimits({
      setting,
      current,
      goal: value,
      guardrails: entry.guardrails,
      ...history,
    });
    if (!limits.ok) throw new ExecutorError(ExecutorErrorCode.Refused, limits.reason);
    return true;
  }

  private call<T>(work: Promise<T>, what: string): Promise<T> {
    return withTimeout(work, this.timings.attemptTimeoutMs, what);
  }

  /**
   * Outside the retry loop's attempt timeout: waiting for pods is bounded by the target's own readiness timeout.
   * Also asked when the value was already there (a change made before its result was recorded): held is not ready.
   */
  private awaitReady(
    executor: Executor,
    target: ResolvedTarget,
    setting: string,
    value: number,
  ): Promise<Readiness | null> {
    if (!executor.awaitReady) return Promise.resolve(null);
    const timeoutMs = (target.entry.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS) * 1000;
    return executor.awaitReady(target, setting, value, timeoutMs);
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

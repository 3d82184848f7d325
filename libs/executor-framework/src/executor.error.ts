import type { ActionStatus } from '@surge/contracts';

export enum ExecutorErrorCode {
  /** The executor will not do this (HPA conflict, below used memory, restart-only setting): a guardrail. */
  Refused = 'refused',
  /** The target does not exist. */
  NotFound = 'not-found',
  /** The credentials may not touch the target. */
  Forbidden = 'forbidden',
  /** Someone else changed the target at the same time; reading again and retrying is the fix. */
  Conflict = 'conflict',
  /** The target said no for good (a syntax or type error): retrying cannot help. */
  Invalid = 'invalid',
  /** The target's API is down or timed out. */
  Unavailable = 'unavailable',
  /**
   * The target reads neither the decision's `from` nor its `to` (check before act): the decision was made for
   * another state. Not retried: the rules engine decides again from the value observed.
   */
  Mismatch = 'mismatch',
}

export class ExecutorError extends Error {
  constructor(
    readonly code: ExecutorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExecutorError';
  }
}

const RETRYABLE = new Set([ExecutorErrorCode.Conflict, ExecutorErrorCode.Unavailable]);

/** Unknown errors are retried: a socket error from a driver is far more often transient than permanent. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof ExecutorError) || RETRYABLE.has(error.code);
}

/**
 * A back end still unavailable once the apply retries are spent: the decision is held, not failed. Thrown out of
 * the decision processor with no result recorded, it reaches the consumer as a transient error, so libs/kafka holds
 * the partition, reports not-ready and redelivers; the redelivery runs every check again (staleness first), so a
 * decision that aged past its limit while held ends `stale`, never applied late.
 */
export class DecisionHeld extends Error {
  constructor(
    readonly decisionId: string,
    options: { cause: unknown },
  ) {
    super(`decision ${decisionId} held: ${messageOf(options.cause)}`, options);
    this.name = 'DecisionHeld';
  }
}

/**
 * Only an outage holds a decision: every executor maps "the API did not answer, or answered 5xx/429" to
 * Unavailable. A lasting conflict or an unknown error still ends `failed`, so a bug cannot hold a partition forever.
 */
export function holdsDecision(error: unknown): boolean {
  return error instanceof ExecutorError && error.code === ExecutorErrorCode.Unavailable;
}

/** The one place an error becomes a result status. */
export function statusForError(error: unknown): ActionStatus {
  if (!(error instanceof ExecutorError)) return 'failed';
  if (error.code === ExecutorErrorCode.Refused) return 'rejected';
  return error.code === ExecutorErrorCode.Mismatch ? 'conflict' : 'failed';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

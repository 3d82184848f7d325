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

/** The one place an error becomes a result status. */
export function statusForError(error: unknown): ActionStatus {
  return error instanceof ExecutorError && error.code === ExecutorErrorCode.Refused ? 'rejected' : 'failed';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { ContractViolation, type DeadLetterReason } from '@surge/contracts';
import { ZodError } from 'zod';

/**
 * The one way a handler says "this message can never be handled": it is parked on the dead-letter topic at once,
 * with this reason. Any other error is treated as a dependency that is unavailable (Redis, PostgreSQL, Kafka, an
 * API timing out) and the message is retried until it succeeds. That default is the one that loses nothing: a
 * wrongly retried message shows as a consumer that is not ready, a wrongly dead-lettered one is gone from the flow.
 */
export class PermanentFailure extends Error {
  constructor(
    message: string,
    readonly reason: DeadLetterReason = 'handler-failed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PermanentFailure';
  }
}

export type FailureKind = 'permanent' | 'transient';

/** A handler's error: permanent only when it says so, or when the message broke its contract. */
export function failureKindOf(error: unknown): FailureKind {
  if (error instanceof PermanentFailure || error instanceof ContractViolation) return 'permanent';
  return 'transient';
}

/** The dead-letter reason of a decode error or of a handler's permanent failure. */
export function deadLetterReasonOf(error: unknown): DeadLetterReason {
  if (error instanceof PermanentFailure) return error.reason;
  if (error instanceof SyntaxError) return 'invalid-json';
  if (error instanceof ContractViolation || error instanceof ZodError) return 'schema-violation';
  return 'handler-failed';
}

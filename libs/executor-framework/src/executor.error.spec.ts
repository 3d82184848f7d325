import { describe, expect, it } from 'vitest';
import { ExecutorError, ExecutorErrorCode, holdsDecision, isRetryable, statusForError } from './executor.error';

describe('holdsDecision', () => {
  it('holds only an unavailable back end: the outage the consumer waits out', () => {
    expect(holdsDecision(new ExecutorError(ExecutorErrorCode.Unavailable, 'HTTP 503'))).toBe(true);
  });

  it.each([
    ['a lasting conflict', new ExecutorError(ExecutorErrorCode.Conflict, 'HTTP 409')],
    ['an invalid request', new ExecutorError(ExecutorErrorCode.Invalid, 'HTTP 422')],
    ['a mismatch', new ExecutorError(ExecutorErrorCode.Mismatch, 'reads 7')],
    // Retried by the apply runner, but a bug must not hold a partition for ever.
    ['an unknown error', new TypeError('x is undefined')],
  ])('ends %s with a result instead', (_name, error) => {
    expect(holdsDecision(error)).toBe(false);
    expect(['failed', 'conflict']).toContain(statusForError(error));
  });

  it('holds nothing the apply runner would not retry first', () => {
    expect(isRetryable(new ExecutorError(ExecutorErrorCode.Unavailable, 'down'))).toBe(true);
  });
});

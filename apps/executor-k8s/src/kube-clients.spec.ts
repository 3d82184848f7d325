import { ApiException } from '@kubernetes/client-node';
import { ExecutorErrorCode, isRetryable } from '@surge/executor-framework';
import { describe, expect, it } from 'vitest';
import { toExecutorError } from './kube-clients';

const answer = (status: number) => toExecutorError(new ApiException(status, 'HTTP', { message: 'no' }, {}), 'patch');

describe('toExecutorError', () => {
  it.each([500, 502, 503, 504, 429])('treats HTTP %i as transient: retried', (status) => {
    expect(answer(status).code).toBe(ExecutorErrorCode.Unavailable);
    expect(isRetryable(answer(status))).toBe(true);
  });

  it('retries a concurrent write (409) after a fresh read', () => {
    expect(answer(409).code).toBe(ExecutorErrorCode.Conflict);
    expect(isRetryable(answer(409))).toBe(true);
  });

  it.each([
    [400, ExecutorErrorCode.Invalid],
    [401, ExecutorErrorCode.Forbidden],
    [403, ExecutorErrorCode.Forbidden],
    [404, ExecutorErrorCode.NotFound],
    [422, ExecutorErrorCode.Invalid],
  ])('treats HTTP %i as permanent: not retried', (status, code) => {
    expect(answer(status).code).toBe(code);
    expect(isRetryable(answer(status))).toBe(false);
  });

  it('treats no answer at all (socket reset, timeout) as transient', () => {
    const error = toExecutorError(new Error('socket hang up'), 'read');
    expect(error.code).toBe(ExecutorErrorCode.Unavailable);
    expect(error.message).toBe('read: socket hang up');
  });
});

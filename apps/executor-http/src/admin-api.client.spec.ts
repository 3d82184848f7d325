import { ExecutorErrorCode, isRetryable } from '@surge/executor-framework';
import { describe, expect, it } from 'vitest';
import { errorForStatus } from './admin-api.client';

describe('errorForStatus', () => {
  it.each([
    [500, ExecutorErrorCode.Unavailable, true],
    [503, ExecutorErrorCode.Unavailable, true],
    [429, ExecutorErrorCode.Unavailable, true],
    [409, ExecutorErrorCode.Conflict, true],
    [400, ExecutorErrorCode.Refused, false],
    [422, ExecutorErrorCode.Refused, false],
    [404, ExecutorErrorCode.Refused, false],
    [401, ExecutorErrorCode.Forbidden, false],
    [302, ExecutorErrorCode.Refused, false],
  ])('%i is %s (retryable: %s)', (status, code, retryable) => {
    const error = errorForStatus(status, 'PUT x');
    expect(error.code).toBe(code);
    expect(isRetryable(error)).toBe(retryable);
  });

  it('says a redirect was not followed', () => {
    expect(errorForStatus(307, 'PUT x').message).toMatch(/redirects are not followed/);
  });
});

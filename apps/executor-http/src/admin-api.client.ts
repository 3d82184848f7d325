import { ExecutorError, ExecutorErrorCode } from '@surge/executor-framework';

export interface AdminRequest {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH';
  url: string;
  token: string;
  body?: unknown;
  idempotencyKey?: string;
}

/**
 * One call to an app's admin API. Redirects are never followed: a 3xx could send the bearer token, or the change,
 * to a URL the allowlist never saw. The answer's status decides whether retrying can help.
 */
export async function callAdminApi(request: AdminRequest, timeoutMs: number): Promise<unknown> {
  const what = `${request.method} ${request.url}`;
  const headers: Record<string, string> = { authorization: `Bearer ${request.token}`, accept: 'application/json' };
  if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ExecutorError(ExecutorErrorCode.Unavailable, `${what}: ${(error as Error).message}`, { cause: error });
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw errorForStatus(response.status, `${what} answered ${response.status} ${text.slice(0, 200)}`);
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ExecutorError(
      ExecutorErrorCode.Invalid,
      `${what} answered ${response.status} with a body that is not JSON`,
    );
  }
}

/** 5xx and 429 are the app being busy or down: retried, then held. Any other refusal is the app's final word. */
export function errorForStatus(status: number, message: string): ExecutorError {
  if (status >= 500 || status === 429 || status === 408)
    return new ExecutorError(ExecutorErrorCode.Unavailable, message);
  if (status === 409) return new ExecutorError(ExecutorErrorCode.Conflict, message);
  if (status === 401 || status === 403) return new ExecutorError(ExecutorErrorCode.Forbidden, message);
  if (status >= 300 && status < 400)
    return new ExecutorError(ExecutorErrorCode.Refused, `${message} (redirects are not followed)`);
  return new ExecutorError(ExecutorErrorCode.Refused, message);
}

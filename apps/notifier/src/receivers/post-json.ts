import { PermanentFailure } from '@surge/kafka';

/**
 * POSTs a JSON body. A 4xx other than 408 and 429 says this body will never be taken: a PermanentFailure the
 * consumer dead-letters. Unreachable, timing out, 408, 429 or 5xx is transient: an Error the caller retries.
 * `what` names the receiver in messages without its URL, which may carry a secret (Slack's path tokens).
 */
export async function postJson(
  url: string,
  body: string,
  options: { what: string; timeoutMs: number; headers?: Record<string, string> },
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new Error(`${options.what} unreachable: ${(error as Error).message}`, { cause: error });
  }
  if (response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  const detail = (await response.text().catch(() => '')).slice(0, 500);
  const message = `${options.what} answered ${response.status}: ${detail}`;
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429)
    throw new PermanentFailure(message, 'handler-failed');
  throw new Error(message);
}

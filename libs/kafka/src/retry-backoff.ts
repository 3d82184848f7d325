/**
 * Capped exponential backoff for a transient failure. The cap stays well under the consumer's session timeout
 * (10 s): the retry loop heartbeats after each wait, so a long outage never costs the partition's assignment.
 */
export const MAX_RETRY_DELAY_MS = 5_000;

export function retryDelayMs(attempt: number, baseDelayMs: number): number {
  return Math.min(baseDelayMs * 2 ** Math.min(attempt - 1, 20), MAX_RETRY_DELAY_MS);
}

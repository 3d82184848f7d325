export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential backoff, capped. No jitter: one executor retries one target serially, so there is no herd to spread,
 * and a deterministic schedule keeps the "failed within N seconds" promise easy to state.
 */
export function backoffDelayMs(retryNumber: number, policy: RetryPolicy): number {
  const delay = policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1);
  return Math.min(policy.maxDelayMs, delay);
}

/** The longest a failing target can hold its lane, waits only (attempt time excluded). */
export function totalBackoffMs(policy: RetryPolicy): number {
  let total = 0;
  for (let n = 1; n <= policy.retries; n += 1) total += backoffDelayMs(n, policy);
  return total;
}

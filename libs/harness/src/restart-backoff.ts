/** How a supervisor spaces its restarts of a service that keeps exiting. */
export interface RestartBackoff {
  /** Delay before the first restart; doubles with each attempt. */
  firstDelayMs: number;
  /** Cap of one delay: a service down for long is still retried this often. */
  maxDelayMs: number;
  /** A service that ran this long before exiting counts as healthy again: its next restart is attempt 1. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoff = {
  firstDelayMs: 1000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
};

/** The delay before restart number `attempt` (1-based): first, 2×first, 4×first… capped at maxDelayMs. */
export function restartDelayMs(attempt: number, backoff: RestartBackoff): number {
  // The exponent is bounded so a long outage cannot overflow to Infinity before the cap applies.
  const doublings = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(backoff.firstDelayMs * 2 ** doublings, backoff.maxDelayMs);
}

import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_BACKOFF, restartDelayMs } from './restart-backoff';

describe('restartDelayMs', () => {
  it('starts at the first delay and doubles each attempt', () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => restartDelayMs(attempt, DEFAULT_RESTART_BACKOFF));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('is capped, even after a very long outage', () => {
    expect(restartDelayMs(6, DEFAULT_RESTART_BACKOFF)).toBe(30_000);
    expect(restartDelayMs(10_000, DEFAULT_RESTART_BACKOFF)).toBe(30_000);
  });

  it('treats an attempt below 1 as the first', () => {
    expect(restartDelayMs(0, { firstDelayMs: 250, maxDelayMs: 1000, stableAfterMs: 0 })).toBe(250);
  });
});

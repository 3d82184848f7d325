import { describe, expect, it } from 'vitest';
import { firingAlert, resolvedAlert } from '../testing/alert-fixtures';
import { firingEndsAt, HOLD_INTERVALS, nextResendAt, resolvedEndsAt } from './resend-schedule';

describe('resend schedule', () => {
  const now = Date.parse('2026-03-02T10:00:00Z');

  it('holds a firing alert for four resend intervals', () => {
    expect(HOLD_INTERVALS).toBe(4);
    expect(firingEndsAt(now, 60)).toBe(now + 240_000);
  });

  it('resolves at the resolve time, or at the evaluation time when none is named', () => {
    const firing = firingAlert('shop/web');
    expect(resolvedEndsAt(resolvedAlert(firing, now))).toBe(now);
    expect(resolvedEndsAt({ ...firing, status: 'resolved', endsAt: null })).toBe(firing.eventTime);
  });

  it('plans the next round one interval after the last one started, never in the past', () => {
    expect(nextResendAt(now, now + 2_000, 60)).toBe(now + 60_000);
    expect(nextResendAt(now, now + 90_000, 60)).toBe(now + 90_000);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ControlIntentEvent, NO_INTENT, reduceControl, replayControl } from './control-intent';
import { type ExpiringPause, PauseExpiryTimers } from './pause-expiry.timers';

const pause = (time: number, until: number, policy?: string): ControlIntentEvent => ({
  type: 'pause',
  policy,
  time,
  until,
});

describe('PauseExpiryTimers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1000);
  });
  afterEach(() => vi.useRealTimers());

  it('reports a pause expired once, at its expiry, however often the intent is synced after', () => {
    const expired: ExpiringPause[] = [];
    const timers = new PauseExpiryTimers((p) => expired.push(p));
    const intent = reduceControl(NO_INTENT, pause(1000, 3000, 'shop'));
    timers.sync(intent);
    vi.advanceTimersByTime(1999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual([{ policy: 'shop', pausedAt: 1000, until: 3000 }]);
    timers.sync(intent);
    vi.advanceTimersByTime(10_000);
    expect(expired).toHaveLength(1);
  });

  it('reports at once a pause already expired, and never one resumed or replaced before its expiry', () => {
    const expired: ExpiringPause[] = [];
    const timers = new PauseExpiryTimers((p) => expired.push(p));
    timers.sync(replayControl([pause(100, 500), pause(200, 4000, 'shop')]));
    vi.advanceTimersByTime(0);
    expect(expired).toEqual([{ pausedAt: 100, until: 500 }]);
    timers.sync(
      replayControl([pause(100, 500), pause(200, 4000, 'shop'), { type: 'resume', policy: 'shop', time: 300 }]),
    );
    vi.advanceTimersByTime(10_000);
    expect(expired).toHaveLength(1);
    timers.stop();
  });
});

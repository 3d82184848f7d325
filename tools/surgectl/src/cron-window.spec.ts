import { describe, expect, it } from 'vitest';
import { cronWindow, formatDuration } from './cron-window';

describe('cronWindow', () => {
  it('measures a window that spans days, from each start to the next end', () => {
    const weekend = cronWindow('0 22 * * 5', '0 6 * * 1', 'UTC', new Date('2026-01-01T00:00:00Z'));
    expect(weekend).toEqual({ seconds: 56 * 3600, lengths: [] });
    expect(formatDuration(weekend.seconds)).toBe('2d8h');
  });

  it('keeps the usual length and lists the others, as on the night clocks go forward', () => {
    const night = cronWindow('0 1 * * *', '0 4 * * *', 'Europe/Paris', new Date('2026-03-01T00:00:00Z'));
    expect(night).toEqual({ seconds: 3 * 3600, lengths: [2 * 3600, 3 * 3600] });
  });
});

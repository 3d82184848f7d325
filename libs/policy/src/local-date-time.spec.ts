import { describe, expect, it } from 'vitest';
import { parseLocalDateTime } from './local-date-time';

const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');

describe('parseLocalDateTime', () => {
  it.each([
    { text: '2026-03-14T09:00', zone: 'UTC', utc: '2026-03-14T09:00Z' },
    { text: '2026-03-14T09:00:30', zone: 'UTC', utc: '2026-03-14T09:00:30.000Z' },
    { text: '2026-03-14T09:00', zone: 'Europe/Berlin', utc: '2026-03-14T08:00Z' },
    { text: '2026-07-14T09:00', zone: 'Europe/Berlin', utc: '2026-07-14T07:00Z' },
    { text: '2026-01-01T00:00', zone: 'Asia/Kolkata', utc: '2025-12-31T18:30Z' },
    { text: '2026-11-21T18:00', zone: 'Africa/Kigali', utc: '2026-11-21T16:00Z' },
    // Berlin springs forward at 02:00 on 2026-03-29: 02:00-02:59 never happens, read with the offset before it.
    { text: '2026-03-29T01:59', zone: 'Europe/Berlin', utc: '2026-03-29T00:59Z' },
    { text: '2026-03-29T02:30', zone: 'Europe/Berlin', utc: '2026-03-29T01:30Z' },
    { text: '2026-03-29T03:00', zone: 'Europe/Berlin', utc: '2026-03-29T01:00Z' },
    // ... and falls back at 03:00 on 2026-10-25: 02:00-02:59 happens twice, the first (summer time) is meant.
    { text: '2026-10-25T02:30', zone: 'Europe/Berlin', utc: '2026-10-25T00:30Z' },
    { text: '2026-10-25T03:00', zone: 'Europe/Berlin', utc: '2026-10-25T02:00Z' },
    { text: '2026-03-08T02:30', zone: 'America/New_York', utc: '2026-03-08T07:30Z' },
    { text: '2026-11-01T01:30', zone: 'America/New_York', utc: '2026-11-01T05:30Z' },
    // An explicit offset wins over the zone.
    { text: '2026-03-14T09:00Z', zone: 'Europe/Berlin', utc: '2026-03-14T09:00Z' },
    { text: '2026-03-14T09:00+05:30', zone: 'UTC', utc: '2026-03-14T03:30Z' },
    { text: '2026-03-14T09:00-04:00', zone: 'UTC', utc: '2026-03-14T13:00Z' },
  ])('$text in $zone is $utc', ({ text, zone, utc }) => {
    expect(iso(parseLocalDateTime(text, zone))).toBe(utc);
  });

  it.each([
    { text: '2026-02-30T09:00', message: /not a valid date-time/ },
    { text: '2026-03-14T24:00', message: /not a valid date-time/ },
    { text: '2026-03-14T09:60', message: /not a valid date-time/ },
    { text: '2026-03-14T09:00+25:00', message: /invalid offset/ },
    { text: '2026-03-14 09:00', message: /ISO-8601/ },
    { text: '14/03/2026 09:00', message: /ISO-8601/ },
    { text: '2026-03-14', message: /ISO-8601/ },
  ])('refuses $text', ({ text, message }) => {
    expect(() => parseLocalDateTime(text, 'UTC')).toThrow(message);
  });
});

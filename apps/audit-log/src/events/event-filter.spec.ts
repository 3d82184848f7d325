import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './event-cursor';
import { parseEventFilter } from './event-filter';

describe('parseEventFilter', () => {
  it('accepts every filter with ISO and epoch times', () => {
    const parsed = parseEventFilter({
      target: 'shop/web',
      type: 'decision,queue',
      decisionId: 'd1',
      status: 'applied',
      from: '2026-11-01T00:00:00Z',
      to: '1795000000000',
      limit: '20',
    });
    expect(parsed).toMatchObject({ ok: true, filter: { target: 'shop/web', types: ['decision', 'queue'], limit: 20 } });
    if (parsed.ok) expect(parsed.filter.to?.getTime()).toBe(1795000000000);
  });

  it.each([
    { input: { from: 'yesterday' }, path: 'from' },
    { input: { limit: '0' }, path: 'limit' },
    { input: { limit: '501' }, path: 'limit' },
    { input: { type: 'DROP TABLE' }, path: 'type' },
    { input: { cursor: 'garbage' }, path: 'cursor' },
    { input: { colour: 'red' }, path: 'colour' },
    { input: { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, path: 'from' },
  ])('names $path when it is bad', ({ input, path }) => {
    const parsed = parseEventFilter(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toContain(path);
  });

  it('round-trips a cursor', () => {
    const cursor = { timeMs: 1795000000123, id: '9007199254740993' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });
});

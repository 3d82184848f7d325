import { describe, expect, it } from 'vitest';
import { partitionFor, partitionsToCreate, partitionsToDrop } from './partition-plan';

describe('partition plan', () => {
  it('names a month partition by UTC year and month with a [from, to) range', () => {
    const partition = partitionFor(Date.parse('2026-12-31T23:59:59.999Z'));
    expect(partition.name).toBe('events_y2026m12');
    expect(partition.from.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(partition.to.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('creates the current month and the months ahead', () => {
    const names = partitionsToCreate(new Date('2026-11-23T10:00:00Z'), 2).map((p) => p.name);
    expect(names).toEqual(['events_y2026m11', 'events_y2026m12', 'events_y2027m01']);
  });

  it.each([
    { retention: 1, dropped: ['events_y2026m08', 'events_y2026m09'] },
    { retention: 2, dropped: ['events_y2026m08'] },
    { retention: 12, dropped: [] },
  ])('drops only partitions ending before now minus $retention months', ({ retention, dropped }) => {
    const existing = ['events_y2026m08', 'events_y2026m09', 'events_y2026m10', 'events_y2026m11', 'not_a_partition'];
    expect(partitionsToDrop(existing, new Date('2026-11-23T10:00:00Z'), retention)).toEqual(dropped);
  });
});

import { describe, expect, it } from 'vitest';
import { capacityExcesses } from './capacity-watch';

const at = (i: number) => 1_800_000_000_000 + i * 250;

describe('capacityExcesses', () => {
  it('finds sessions that grew past maxActive, and counts the readings where the room was full', () => {
    const { excesses, full } = capacityExcesses([
      { at: at(0), active: 19, maxActive: 20 },
      { at: at(1), active: 20, maxActive: 20 },
      { at: at(2), active: 22, maxActive: 21 },
    ]);
    expect(excesses).toHaveLength(1);
    expect(excesses[0]).toContain('22 sessions at maxActive 21');
    expect(full).toBe(2);
  });

  it('does not call a lowered maxActive an excess: sessions in progress only end', () => {
    const { excesses } = capacityExcesses([
      { at: at(0), active: 25, maxActive: 25 },
      { at: at(1), active: 25, maxActive: 10 },
      { at: at(2), active: 24, maxActive: 10 },
    ]);
    expect(excesses).toEqual([]);
  });

  it('accepts growth up to the larger maxActive of two readings, a raise between them', () => {
    const { excesses } = capacityExcesses([
      { at: at(0), active: 20, maxActive: 20 },
      { at: at(1), active: 21, maxActive: 21 },
    ]);
    expect(excesses).toEqual([]);
  });
});

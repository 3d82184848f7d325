import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arrivalsBetween,
  cumulativeArrivals,
  flashSaleSchedule,
  phaseAt,
  totalDurationMs,
} from './flash-sale.schedule';

const schedule = flashSaleSchedule({ scale: 1, peakBrowsePerSecond: 100, peakBuyersPerSecond: 20 });

describe('flashSaleSchedule', () => {
  it('plays quiet, rush, peak and ended in 2.5 minutes at scale 1', () => {
    expect(schedule.map((p) => [p.name, p.durationMs])).toEqual([
      ['quiet', 30_000],
      ['rush', 15_000],
      ['peak', 60_000],
      ['ended', 45_000],
    ]);
    expect(totalDurationMs(schedule)).toBe(150_000);
  });

  it('stretches durations, not rates, with the scale', () => {
    const slow = flashSaleSchedule({ scale: 4, peakBrowsePerSecond: 100, peakBuyersPerSecond: 20 });
    expect(totalDurationMs(slow)).toBe(600_000);
    expect(phaseAt(slow, 200_000)).toMatchObject({
      phase: { name: 'peak' },
      browsePerSecond: 100,
      buyersPerSecond: 20,
    });
  });

  it('refuses a scale that is not positive', () => {
    expect(() => flashSaleSchedule({ scale: 0, peakBrowsePerSecond: 1, peakBuyersPerSecond: 1 })).toThrow('scale');
  });
});

describe('phaseAt', () => {
  it.each([
    { at: 0, name: 'quiet', browse: 3, buyers: 0.3 },
    { at: 29_999, name: 'quiet', browse: 3, buyers: 0.3 },
    { at: 37_500, name: 'rush', browse: 51.5, buyers: 10.15 },
    { at: 45_000, name: 'peak', browse: 100, buyers: 20 },
    { at: 127_500, name: 'ended', browse: 50.5, buyers: 0 },
  ])('at $at ms the sale is $name with $browse browse/s and $buyers buyers/s', ({ at, name, browse, buyers }) => {
    const now = phaseAt(schedule, at)!;
    expect(now.phase.name).toBe(name);
    expect(now.browsePerSecond).toBeCloseTo(browse);
    expect(now.buyersPerSecond).toBeCloseTo(buyers);
  });

  it('says the sale is over at its end', () => {
    expect(phaseAt(schedule, 150_000)).toBeNull();
  });
});

describe('arrivals', () => {
  it('integrates the rates: 9 buyers in the quiet phase, 20 per second at peak', () => {
    expect(cumulativeArrivals(schedule, 'buyersPerSecond', 30_000)).toBeCloseTo(9);
    expect(arrivalsBetween(schedule, 'buyersPerSecond', 50_000, 60_000)).toBe(200);
    expect(arrivalsBetween(schedule, 'buyersPerSecond', 105_000, 150_000)).toBe(0);
  });

  it('adds up to the same whole total however the ticks fall', () => {
    const total = Math.floor(cumulativeArrivals(schedule, 'browsePerSecond', 150_000));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 400 }), (steps) => {
        let at = 0;
        let sum = 0;
        for (const step of steps) {
          sum += arrivalsBetween(schedule, 'browsePerSecond', at, Math.min(at + step, 150_000));
          at = Math.min(at + step, 150_000);
        }
        sum += arrivalsBetween(schedule, 'browsePerSecond', at, 150_000);
        return sum === total;
      }),
    );
  });

  it('never starts a negative number of arrivals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 150_000 }),
        fc.integer({ min: 0, max: 5000 }),
        (from, span) => arrivalsBetween(schedule, 'buyersPerSecond', from, from + span) >= 0,
      ),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ServiceSlots } from './service-slots';

describe('ServiceSlots', () => {
  it('serves at most its slots at a time and queues the rest in order', async () => {
    const slots = new ServiceSlots(2);
    const started = performance.now();
    const finished: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => slots.serve(40).then(() => finished.push(i))));
    // Four requests of 40 ms on two slots take two rounds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(finished).toEqual([0, 1, 2, 3]);
    expect(slots.queued()).toBe(0);
  });

  it('answers at once when the shop is not modelled', async () => {
    const started = performance.now();
    await Promise.all([1, 2, 3].map(() => new ServiceSlots(0).serve(500)));
    expect(performance.now() - started).toBeLessThan(100);
  });
});

import { describe, expect, it } from 'vitest';
import { percentile, RequestWindow } from './request-window';

describe('percentile', () => {
  it.each([
    { values: [], p: 0.95, expected: 0 },
    { values: [7], p: 0.95, expected: 7 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 0.95, expected: 95 },
    { values: [5, 1, 4, 2, 3], p: 0.5, expected: 3 },
    { values: [10, 20], p: 0.95, expected: 20 },
  ])('nearest rank of $p over $values.length values is $expected', ({ values, p, expected }) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe('RequestWindow', () => {
  it('averages the rate over the buckets of the window and counts 5xx as errors', () => {
    const window = new RequestWindow(2);
    for (let i = 0; i < 10; i++) window.record(10, i < 2);
    expect(window.tick()).toEqual({ requestsPerSecond: 10, p95Ms: 10, errorRate: 0.2 });
    for (let i = 0; i < 30; i++) window.record(100, false);
    const figures = window.tick();
    expect(figures.requestsPerSecond).toBe(20);
    expect(figures.errorRate).toBeCloseTo(2 / 40);
    expect(figures.p95Ms).toBe(100);
  });

  it('forgets seconds that left the window', () => {
    const window = new RequestWindow(2);
    window.record(500, true);
    window.tick();
    window.tick();
    expect(window.tick()).toEqual({ requestsPerSecond: 0, p95Ms: 0, errorRate: 0 });
  });

  it('reports zeros for a quiet target rather than NaN', () => {
    expect(new RequestWindow(5).tick()).toEqual({ requestsPerSecond: 0, p95Ms: 0, errorRate: 0 });
  });
});

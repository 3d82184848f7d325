import { describe, expect, it } from 'vitest';
import { recommendForMetric } from './hpa-algorithm';
import { testPolicy, T0 } from './testing';

const behavior = testPolicy().behavior;
const fresh = (value: number) => ({ value, time: T0 });

// Expected values follow the Kubernetes documentation: desiredReplicas = ceil[currentReplicas × (currentMetricValue / desiredMetricValue)],
// no change while the ratio is within the tolerance (0.1 by default, bounds included), AverageValue of a total as for External metrics.
describe('HPA algorithm, one metric', () => {
  it.each([
    { name: 'docs: 200m of 100m doubles', type: 'Value', target: 100, value: 200, current: 3, want: 6 },
    { name: 'docs: 50m of 100m halves', type: 'Value', target: 100, value: 50, current: 4, want: 2 },
    { name: 'utilization 90 of 50 on 3 pods', type: 'Utilization', target: 50, value: 90, current: 3, want: 6 },
    { name: 'utilization rounds up', type: 'Utilization', target: 70, value: 80, current: 10, want: 12 },
    { name: 'ratio 1.05 is within tolerance', type: 'Utilization', target: 100, value: 105, current: 10, want: 10 },
    {
      name: 'ratio 1.1 is within tolerance (bound included)',
      type: 'Utilization',
      target: 100,
      value: 110,
      current: 10,
      want: 10,
    },
    { name: 'ratio 1.11 scales', type: 'Utilization', target: 100, value: 111, current: 10, want: 12 },
    // GetResourceUtilizationRatio (metrics/utilization.go) truncates utilization to a whole percent first:
    // 110.9 % is 110 %, within tolerance; a Value metric keeps its fraction.
    {
      name: 'utilization 110.9 is 110: within tolerance',
      type: 'Utilization',
      target: 100,
      value: 110.9,
      current: 10,
      want: 10,
    },
    {
      name: 'utilization 50.9 of 40 is 50: 1.25 × 4 = 5, not 6',
      type: 'Utilization',
      target: 40,
      value: 50.9,
      current: 4,
      want: 5,
    },
    { name: 'a Value metric is not truncated', type: 'Value', target: 100, value: 110.9, current: 10, want: 12 },
    {
      name: 'ratio 0.9 is within tolerance (bound included)',
      type: 'Utilization',
      target: 100,
      value: 90,
      current: 10,
      want: 10,
    },
    { name: 'ratio 0.89 scales down', type: 'Utilization', target: 100, value: 89, current: 10, want: 9 },
    { name: 'AverageValue of a total', type: 'AverageValue', target: 1000, value: 2500, current: 2, want: 3 },
    {
      name: 'AverageValue within tolerance keeps',
      type: 'AverageValue',
      target: 1000,
      value: 2100,
      current: 2,
      want: 2,
    },
    { name: 'AverageValue scales down', type: 'AverageValue', target: 1000, value: 3000, current: 10, want: 3 },
    { name: 'zero current uses the ratio', type: 'Value', target: 10, value: 25, current: 0, want: 3 },
  ] as const)('$name', ({ type, target, value, current, want }) => {
    const rec = recommendForMetric({ metric: 'm', type, target }, fresh(value), current, T0, 60, behavior);
    expect(rec.recommendation).toBe(want);
    expect(rec.missing).toBe(false);
  });

  it('accepts a tolerance above 1, as the autoscaling/v2 API does: that direction then never scales', () => {
    const never = testPolicy({ behavior: { scaleDown: { tolerance: 1.5 } } }).behavior;
    const low = recommendForMetric({ metric: 'cpu', type: 'Utilization', target: 50 }, fresh(1), 10, T0, 60, never);
    expect(low.withinTolerance).toBe(true);
    expect(low.recommendation).toBe(10);
    expect(() => testPolicy({ behavior: { scaleUp: { tolerance: -0.1 } } })).toThrow();
  });

  it('per-direction tolerance (KEP-4951)', () => {
    const custom = testPolicy({ behavior: { scaleUp: { tolerance: 0.05 }, scaleDown: { tolerance: 0.3 } } }).behavior;
    expect(
      recommendForMetric({ metric: 'm', type: 'Utilization', target: 100 }, fresh(107), 10, T0, 60, custom)
        .recommendation,
    ).toBe(11);
    expect(
      recommendForMetric({ metric: 'm', type: 'Utilization', target: 100 }, fresh(75), 10, T0, 60, custom)
        .recommendation,
    ).toBe(10);
    expect(
      recommendForMetric({ metric: 'm', type: 'Utilization', target: 100 }, fresh(69), 10, T0, 60, custom)
        .recommendation,
    ).toBe(7);
  });

  it.each([
    { name: 'no sample', sample: undefined },
    { name: 'sample older than the staleness', sample: { value: 500, time: T0 - 61_000 } },
  ])('a metric with $name is missing', ({ sample }) => {
    const rec = recommendForMetric({ metric: 'm', type: 'Utilization', target: 50 }, sample, 4, T0, 60, behavior);
    expect(rec).toMatchObject({ missing: true, recommendation: null });
  });

  it('a sample exactly at the staleness limit is still fresh', () => {
    const rec = recommendForMetric(
      { metric: 'm', type: 'Utilization', target: 50 },
      { value: 100, time: T0 - 60_000 },
      4,
      T0,
      60,
      behavior,
    );
    expect(rec.recommendation).toBe(8);
  });
});

import { parsePolicyText, type ScalingPolicy } from '@surge/policy';
import { stringify } from 'yaml';

/** Builds a normalized policy through the real parser, so specs exercise the defaults a user would get. */
export function testPolicy(spec: Record<string, unknown> = {}): ScalingPolicy {
  const document = {
    apiVersion: 'surge.dev/v1',
    kind: 'ScalingPolicy',
    metadata: { name: 'checkout-api' },
    // A key given as undefined drops the default: `minReplicas: undefined` for a policy of min/max.
    spec: withoutUndefined({
      target: { id: 'production/checkout-api', kind: 'Deployment' },
      minReplicas: 1,
      maxReplicas: 100,
      metrics: [{ metric: 'cpu_utilization', target: { type: 'Utilization', averageUtilization: 50 } }],
      ...spec,
    }),
  };
  return parsePolicyText(stringify(document), 'test.yaml')[0]!;
}

function withoutUndefined(spec: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
}

export const T0 = Date.parse('2026-01-05T12:00:00Z');
export const at = (seconds: number) => T0 + seconds * 1000;

import { describe, expect, it } from 'vitest';
import { type KubernetesObject, validateKubernetesObject } from './kubernetes-object.validator';

const deployment = (port: unknown): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: port }] }] },
    },
  },
});

describe('validateKubernetesObject', () => {
  it('accepts a valid built-in object and names the field of an invalid one', () => {
    expect(validateKubernetesObject(deployment(8080))).toEqual([]);
    expect(validateKubernetesObject(deployment('8080'))).toEqual([
      expect.stringContaining('containerPort must be integer'),
    ]);
  });

  it('refuses a kind it has no schema for instead of passing it', () => {
    expect(validateKubernetesObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(
      ['no schema for example.com/v1 Widget'],
    );
  });

  it('checks the structure of the Prometheus Operator resources', () => {
    const monitor = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' } };
    expect(
      validateKubernetesObject({
        ...monitor,
        spec: { selector: { matchLabels: { a: 'b' } }, endpoints: [{ port: 'http' }] },
      }),
    ).toEqual([]);
    expect(validateKubernetesObject({ ...monitor, spec: { selector: {}, endpoints: [] } })).toHaveLength(2);
    const rule = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' } };
    expect(
      validateKubernetesObject({
        ...rule,
        spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0' }] }] },
      }),
    ).toEqual([]);
    expect(validateKubernetesObject({ ...rule, spec: { groups: [{ name: 'g', rules: [{ alert: 'A' }] }] } })).toEqual([
      'spec.groups[0]: every rule needs expr and alert or record',
    ]);
  });
});

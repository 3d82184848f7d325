import fs from 'node:fs';
import path from 'node:path';
import { parsePolicyText } from '@surge/policy';
import { describe, expect, it } from 'vitest';
import { importText } from './import-file';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', 'import', name), 'utf8');

/** The import as the command runs it, then the output read back by Surge's own parser. */
function imported(name: string) {
  const outcome = importText(fixture(name), name, 'hpa');
  expect(outcome.issues).toEqual([]);
  return { ...outcome, policies: parsePolicyText(outcome.output, name) };
}

const dropped = (notes: { path: string; dropped: boolean }[]) => notes.filter((n) => n.dropped).map((n) => n.path);

describe('importText hpa', () => {
  it('carries the walkthrough php-apache HPA over whole', () => {
    const { output, notes, policies } = imported('php-apache.yaml');
    expect(output.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/scaling-policy.schema.json');
    const [policy] = policies;
    expect(policy).toMatchObject({
      name: 'php-apache',
      target: { id: 'default/php-apache', kind: 'Deployment', namespace: 'default', name: 'php-apache' },
      min: 1,
      max: 10,
      metrics: [{ metric: 'cpu_utilization', type: 'Utilization', target: 50 }],
      legacyBehavior: true,
    });
    expect(notes).toEqual([]);
  });

  it('reads the multiple-metrics example, quantities included, and names what Surge reads differently', () => {
    const { notes, policies } = imported('multiple-metrics.yaml');
    expect(policies[0]!.metrics).toEqual([
      { metric: 'cpu_utilization', type: 'Utilization', target: 50 },
      { metric: 'packets_per_second', type: 'AverageValue', target: 1000 },
      { metric: 'requests_per_second', type: 'Value', target: 10000 },
    ]);
    expect(dropped(notes)).toEqual(['spec.metrics.2.object.describedObject']);
    expect(notes.find((n) => n.path === 'spec.metrics.2.object.describedObject')!.message).toContain(
      'Ingress/main-route',
    );
    expect(notes.filter((n) => !n.dropped).map((n) => n.path)).toEqual([
      'spec.metrics.1.pods.metric.name',
      'spec.metrics.2.object.metric.name',
    ]);
  });

  it('lists selectors and per-container metrics as not carried over and still writes a valid policy', () => {
    const { notes, policies } = imported('selectors.yaml');
    expect(policies[0]).toMatchObject({
      target: { id: 'queues/worker', kind: 'StatefulSet', namespace: 'queues' },
      min: 1,
      max: 20,
      metrics: [
        { metric: 'http_requests', type: 'AverageValue', target: 0.5 },
        { metric: 'queue_messages_ready', type: 'AverageValue', target: 30 },
        { metric: 'memory_usage_bytes', type: 'AverageValue', target: 512 * 2 ** 20 },
      ],
    });
    expect(dropped(notes)).toEqual([
      'metadata.labels',
      'spec.metrics.0.object.describedObject',
      'spec.metrics.0.object.metric.selector',
      'spec.metrics.1.external.metric.selector',
      'spec.metrics.2',
    ]);
  });

  it('keeps each behavior example as written, an empty behavior empty and an absent one absent', () => {
    const { output, notes, policies } = imported('behavior.yaml');
    const byName = Object.fromEntries(policies.map((p) => [p.name, p]));
    expect(byName['default-behavior']!.behavior).toEqual({
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        tolerance: 0.1,
      },
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 15 },
          { type: 'Pods', value: 4, periodSeconds: 15 },
        ],
        tolerance: 0.1,
      },
    });
    expect(byName['limited-scale-down']!.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 600,
      selectPolicy: 'Min',
      policies: [
        { type: 'Percent', value: 10, periodSeconds: 60 },
        { type: 'Pods', value: 5, periodSeconds: 60 },
      ],
      tolerance: 0.05,
    });
    expect(byName['no-scale-down']!.behavior.scaleDown.selectPolicy).toBe('Disabled');
    expect(byName['empty-behavior']!.legacyBehavior).toBeUndefined();
    expect(output).toContain('behavior: {}');
    expect(byName['legacy-behavior']!.legacyBehavior).toBe(true);
    // HPA's own default when no metric is given, written out rather than left to differ.
    expect(byName['empty-behavior']!.metrics).toEqual([{ metric: 'cpu_utilization', type: 'Utilization', target: 80 }]);
    expect(notes).toEqual([{ path: '[3].spec.metrics', message: expect.stringContaining('80 %'), dropped: false }]);
  });

  it('reports output Surge refuses, and input that is not an HPA', () => {
    const bad = fixture('php-apache.yaml').replace('maxReplicas: 10', 'maxReplicas: 0');
    expect(importText(bad, 'bad.yaml', 'hpa').issues.map((i) => i.path)).toEqual(['spec.maxReplicas']);
    const unnamed = importText(
      fixture('php-apache.yaml').replace('    name: php-apache\n  minReplicas', '  minReplicas'),
      'u.yaml',
      'hpa',
    );
    expect(unnamed.notes).toEqual([{ path: 'spec.scaleTargetRef.name', message: 'is missing', dropped: true }]);
    expect(unnamed.issues.map((i) => i.path)).toEqual(['spec.target.id']);
    expect(importText('kind: Deployment\napiVersion: apps/v1\n', 'd.yaml', 'hpa')).toMatchObject({
      unreadable: 'no HorizontalPodAutoscaler document found',
      notes: [{ path: '(root)', dropped: true }],
    });
    expect(importText('a: [', 'broken.yaml', 'hpa').unreadable).toMatch(/^not YAML/);
  });
});

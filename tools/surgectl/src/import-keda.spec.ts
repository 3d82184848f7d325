import fs from 'node:fs';
import path from 'node:path';
import { parsePolicyText } from '@surge/policy';
import { describe, expect, it } from 'vitest';
import { importText } from './import-file';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', 'import', name), 'utf8');
const now = new Date('2026-01-05T00:00:00Z');

function imported(text: string) {
  const outcome = importText(text, 'scaled-object.yaml', 'keda', { now });
  expect(outcome.issues).toEqual([]);
  return { ...outcome, policies: parsePolicyText(outcome.output, 'scaled-object.yaml') };
}

describe('importText keda', () => {
  const { notes, policies } = imported(fixture('scaled-object.yaml'));
  const [shop, reports] = policies;

  it('turns the cron trigger into a schedule whose duration runs from start to end', () => {
    expect(shop!.schedules).toEqual([
      { name: 'office-hours', cron: '0 8 * * 1-5', durationSeconds: 37800, timezone: 'Europe/Paris', min: 10 },
    ]);
  });

  it('turns the prometheus and cpu triggers into metrics, and keeps the HPA behavior KEDA passes on', () => {
    expect(shop).toMatchObject({
      target: { id: 'shop/shop-api', kind: 'Deployment', namespace: 'shop', name: 'shop-api' },
      min: 2,
      max: 30,
      metrics: [
        { metric: 'http_requests_per_second', type: 'AverageValue', target: 100 },
        { metric: 'cpu_utilization', type: 'Utilization', target: 60 },
      ],
    });
    expect(shop!.legacyBehavior).toBeUndefined();
    expect(shop!.behavior.scaleDown.policies).toEqual([{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  });

  it('says the query must reach Surge as a recorded series, since Surge runs none', () => {
    const query = notes.find((n) => n.path === '[0].spec.triggers.1.metadata.query')!;
    expect(query.dropped).toBe(false);
    expect(query.message).toContain('record it as http_requests_per_second');
    expect(query.message).toContain('remote-write');
  });

  it('lists what has no Surge counterpart', () => {
    expect(notes.filter((n) => n.dropped).map((n) => n.path)).toEqual([
      '[0].spec.pollingInterval',
      '[0].spec.cooldownPeriod',
      '[0].spec.advanced.restoreToOriginalReplicaCount',
      '[0].spec.triggers.1.metadata.activationThreshold',
      '[0].spec.triggers.1.metadata.serverAddress',
      '[0].spec.triggers.3',
      '[1].spec.triggers.1.metadata.serverAddress',
    ]);
    expect(notes.find((n) => n.path === '[0].spec.triggers.3')!.message).toContain('no kafka scaler');
  });

  it("writes KEDA's defaults out: a Deployment, 0 to 100 replicas, quantities read as Kubernetes quantities", () => {
    expect(reports).toMatchObject({
      target: { id: 'default/reports', kind: 'Deployment' },
      min: 0,
      max: 100,
      metrics: [
        { metric: 'memory_usage_bytes', type: 'AverageValue', target: 512 * 2 ** 20 },
        { metric: 'report_queue', type: 'Value', target: 1500 },
      ],
      legacyBehavior: true,
    });
  });

  it('skips a trigger it cannot read and a container-level resource trigger, and fails what is left empty', () => {
    const text = [
      'apiVersion: keda.sh/v1alpha1',
      'kind: ScaledObject',
      'metadata: { name: only-containers }',
      'spec:',
      '  scaleTargetRef: { name: app }',
      '  triggers:',
      "    - { type: cpu, metricType: Utilization, metadata: { value: '50', containerName: app } }",
      '    - { type: cron, metadata: { start: not a cron, end: 0 9 * * *, desiredReplicas: "3" } }',
      '    - { type: cron, metadata: { start: 0 8 * * *, end: 0 9 * * * } }',
    ].join('\n');
    const outcome = importText(text, 'x.yaml', 'keda', { now });
    expect(outcome.notes.filter((n) => n.dropped).map((n) => n.path)).toEqual([
      'spec.triggers.0',
      'spec.triggers.1.metadata',
      'spec.triggers.2.metadata.desiredReplicas',
    ]);
    expect(outcome.issues.map((i) => i.message)).toEqual(['a policy needs at least one metric, rule or schedule']);
  });
});

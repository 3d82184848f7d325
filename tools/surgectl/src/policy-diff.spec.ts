import fs from 'node:fs';
import path from 'node:path';
import { type RunningPolicy, runningPolicyDetail, runningPolicyList } from '@surge/contracts';
import { parsePolicyText, type ScalingPolicy } from '@surge/policy';
import { describe, expect, it } from 'vitest';
import { formatComparison } from './policies-diff.command';
import { comparePolicies, fieldChanges, normalizedDocument } from './policy-diff';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
// The engine's answers, recorded from the status API's integration spec (names and paths renamed).
const recordedList = runningPolicyList.parse(JSON.parse(fixture('recorded-policies.json')));
const recordedDetail = runningPolicyDetail.parse(JSON.parse(fixture('recorded-policy.json')));
const yaml = fixture('api-server.yaml');
const policyOf = (text: string) => parsePolicyText(text, 'policies/api-server.yaml')[0]!;

const running = (policy: ScalingPolicy): RunningPolicy => ({
  name: policy.name,
  target: { kind: policy.target.kind, id: policy.target.id },
  setting: policy.setting,
  version: policy.version,
  source: '/etc/surge/policies/x.yaml',
});

describe('comparePolicies', () => {
  it('pairs policies by name: unchanged by version, new, removed and changed', () => {
    const same = policyOf(yaml);
    const other = policyOf(yaml.replace('name: api-server', 'name: worker').replace('production/api-server', 'x/w'));
    const changed = policyOf(yaml.replace('maxReplicas: 3', 'maxReplicas: 5'));
    expect(comparePolicies([same, other], [running(same)]).map((c) => [c.name, c.kind])).toEqual([
      ['api-server', 'unchanged'],
      ['worker', 'new'],
    ]);
    expect(comparePolicies([changed], [running(same), running(other)]).map((c) => [c.name, c.kind])).toEqual([
      ['api-server', 'changed'],
      ['worker', 'removed'],
    ]);
  });

  it('reads the recorded listing', () => {
    expect(recordedList.policies.map((p) => p.name)).toEqual(['api-server']);
  });
});

describe('fieldChanges', () => {
  it('finds nothing between the engine’s normalized policy and the same file parsed here', () => {
    expect(fieldChanges(recordedDetail.normalized, normalizedDocument(policyOf(yaml)))).toEqual([]);
  });

  it('names each changed leaf, list elements by their name', () => {
    const local = policyOf(
      yaml
        .replace('maxReplicas: 3', 'maxReplicas: 5')
        .replace('for: 1h', 'for: 30m')
        .replace(
          'metricStaleness: 10m',
          'metricStaleness: 10m\n  behavior: { scaleDown: { stabilizationWindowSeconds: 600 } }',
        ),
    );
    const changes = fieldChanges(recordedDetail.normalized, normalizedDocument(local));
    expect(changes).toEqual([
      { path: 'behavior.scaleDown.stabilizationWindowSeconds', running: 300, local: 600 },
      // Naming a behavior leaves HPA's legacy path: the diff shows it, as it changes the scaling.
      { path: 'legacyBehavior', running: true, local: undefined },
      { path: 'max', running: 3, local: 5 },
      { path: 'rules[cpu-hot].forSeconds', running: 3600, local: 1800 },
    ]);
  });

  it('tells an added or removed rule as absent on one side', () => {
    const local = policyOf(yaml.replace(/ {2}rules:[\s\S]*$/, ''));
    expect(fieldChanges(recordedDetail.normalized, normalizedDocument(local))).toEqual([
      { path: 'rules[cpu-hot]', running: expect.objectContaining({ name: 'cpu-hot' }), local: undefined },
    ]);
  });
});

describe('formatComparison', () => {
  it('prints a changed policy with one line per field, running → local', () => {
    const local = policyOf(yaml.replace('maxReplicas: 3', 'maxReplicas: 5'));
    const [comparison] = comparePolicies([local], recordedList.policies);
    const text = formatComparison(comparison!, [{ path: 'max', running: 3, local: 5 }]);
    expect(text).toBe(
      `changed    api-server: version 563bd7a44ff76b1c running, ${local.version} in policies/api-server.yaml\n` +
        '             max: 3 → 5\n',
    );
  });
});

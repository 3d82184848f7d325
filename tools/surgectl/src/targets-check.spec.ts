import path from 'node:path';
import { parsePolicySet } from '@surge/policy';
import { describe, expect, it } from 'vitest';
import { readPolicyFiles } from './policy-files';
import { checkPolicyTargets, readTargetsFile } from './targets-check';

const root = path.resolve(__dirname, '../../..');
const demoTargets = readTargetsFile(path.join(root, 'examples/targets/demo.yaml'));

function policyText(target: string, kind: string, setting = 'replicas') {
  return `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: p-${target.replace('/', '-')}-${setting.replace(/_/g, '-')} }
spec:
  target: { id: ${target}, kind: ${kind} }
  setting: ${setting}
  min: 1
  max: 10
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
`;
}

const parsed = (...texts: string[]) =>
  parsePolicySet(texts.map((text, index) => ({ file: `p${index}.yaml`, text }))).policies;

describe('surgectl policies validate --targets', () => {
  it("finds the demo's policies all in the demo's targets file, and notes what it cannot check there", () => {
    const { policies } = parsePolicySet(readPolicyFiles(path.join(root, 'examples/demo')));
    const check = checkPolicyTargets(policies, demoTargets);
    expect(check.problems).toEqual([]);
    expect(check.notes.some((note) => note.includes('room demo/tickets'))).toBe(true);
  });

  it('reports each policy the executors would refuse: unknown target, another kind, a setting without bounds', () => {
    const check = checkPolicyTargets(
      parsed(
        policyText('demo/nowhere', 'Deployment'),
        policyText('demo/shop', 'Deployment'),
        policyText('demo/pgbouncer', 'PgBouncerPool', 'max_client_conn'),
      ),
      demoTargets,
    );
    expect(check.problems).toHaveLength(3);
    expect(check.problems[0]).toContain('demo/nowhere is not in the targets file');
    expect(check.problems[1]).toContain('demo/shop is a LocalPool in the targets file, not a Deployment');
    expect(check.problems[2]).toContain('no bounds for max_client_conn');
  });

  it('notes a policy wider than the bounds the executors will hold it to', () => {
    const wide = policyText('demo/shop', 'LocalPool').replace('max: 10', 'max: 50');
    const check = checkPolicyTargets(parsed(wide), demoTargets);
    expect(check.problems).toEqual([]);
    expect(check.notes[0]).toContain('[1, 50] is wider than the targets file');
  });
});

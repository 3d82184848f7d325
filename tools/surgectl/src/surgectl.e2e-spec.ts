import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scaleDecision } from '@surge/contracts';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const bin = path.join(root, 'tools/bin/surgectl.cjs');
const surgectl = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'surgectl-'));

describe('surgectl, run as the workspace bin', () => {
  it('simulates the ticketing runbook: pre-event floors, then the gradual scale-down 10 -> 6 -> 4 -> 2', () => {
    const out = path.join(tmp(), 'decisions.jsonl');
    const run = surgectl(
      'simulate',
      '--policies',
      'examples/policies',
      '--samples',
      'examples/traces/smartsports-ticketing.jsonl',
      '--out',
      out,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const line of lines) {
      expect(() => scaleDecision.parse(line)).not.toThrow();
      expect(line.reason).toBe(line.explanation.summary);
      expect(Date.parse(line.timestamp)).toBe(line.eventTime);
    }
    // The app's evening: the event's pre-scale floors, then the gradual scale-down once the sale is over (the
    // morning's P0 plan and its recovery are examples/README.md's, checked in example-policies.spec.ts).
    const evening = lines.filter((d) => d.target.id === 'production/smartsports-app' && d.timestamp >= '2026-11-21T12');
    expect(evening.map((d) => [d.timestamp, d.from, d.to, d.explanation.trigger.kind])).toEqual([
      ['2026-11-21T14:00:00.000Z', 2, 6, 'schedule'],
      ['2026-11-21T15:00:00.000Z', 6, 10, 'schedule'],
      ['2026-11-21T20:00:00.000Z', 10, 6, 'metric'],
      ['2026-11-21T20:06:00.000Z', 6, 4, 'metric'],
      ['2026-11-21T20:12:00.000Z', 4, 2, 'metric'],
    ]);
    expect(run.stdout).toMatch(/^TIME\s+TARGET\s+SETTING\s+FROM\s+TO/);
    expect(run.stdout).toMatch(/\nALERTS\n/);
    expect(run.stdout).toContain(`${lines.length} decision(s), `);
    expect(run.stdout).toContain('from 540 sample(s)');
  }, 60_000);

  it('writes JSONL to stdout without --out, and gives the same decisions on a second run', () => {
    const args = ['simulate', '--policies', 'examples/demo', '--samples', 'examples/demo/flash-sale.trace.jsonl'];
    const first = surgectl(...args);
    const second = surgectl(...args);
    expect(first.status).toBe(0);
    const decisions = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(new Set(decisions.map((d) => d.target.id))).toEqual(
      new Set(['demo/shop', 'demo/pgbouncer', 'demo/cache', 'demo/tickets']),
    );
    expect(second.stdout).toBe(first.stdout);
    expect(first.stderr).toMatch(/decision\(s\), .* from 609 sample\(s\)/);
  }, 60_000);

  it('validates the example policies, and names file, field path and problem for a bad one', () => {
    expect(surgectl('policies', 'validate', 'examples/policies').status).toBe(0);
    const dir = tmp();
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      'apiVersion: surge.dev/v1\nkind: ScalingPolicy\nmetadata: { name: bad }\nspec:\n  target: { id: a/b, kind: Deployment }\n  maxReplicas: 3\n  rules: [{ name: r, when: { metric: x, op: "=>", value: 1, for: 5m }, action: { scaleTo: 2 } }]\n',
    );
    const run = surgectl('policies', 'validate', dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${bad}: spec.rules.0.when.op: must be one of`);
  }, 60_000);
});

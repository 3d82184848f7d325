import fs from 'node:fs';
import path from 'node:path';
import { targetStatus, targetStatusList } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { age, formatStatusList, formatTargetStatus } from './status-format';

// The engine's answers, recorded from the status API's integration spec (names and paths renamed).
const recorded = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));
const status = targetStatus.parse(recorded('recorded-status.json'));
const list = targetStatusList.parse(recorded('recorded-list.json'));

describe('formatTargetStatus', () => {
  const text = formatTargetStatus(status, status.evaluatedAt);

  it('prints the fields as kubectl describe hpa does', () => {
    expect(text).toMatch(/^Target: +Deployment production\/api-server\n/);
    expect(text).toContain(
      'Policy:                 api-server (version 563bd7a44ff76b1c, /etc/surge/policies/status.yaml)\n',
    );
    expect(text).toContain('Setting:                replicas, min 1, max 3\n');
    expect(text).toContain('Current replicas:       3\n');
    expect(text).toContain('Desired replicas:       3\n');
    expect(text).toMatch(/Last scale time: +2026-\S+ \(5s ago\)\n/);
    expect(text).not.toContain('Controls:');
  });

  it('prints a metrics table, the rules and the conditions', () => {
    expect(text).toMatch(/\n {2}cpu_utilization \(Utilization\) {2}100% \/ 50% {2}6 +usage ratio 2: asks for 6\n/);
    expect(text).toMatch(/\n {2}cpu-hot +warning +scaleBy \+50% +yes, 5s of 60m +no +- +held 4.907s of 3600s\n/);
    expect(text).toMatch(
      /\n {2}ScalingLimited +True +TooManyReplicas +the desired replicas is more than the maximum 3/,
    );
    expect(text.indexOf('Metrics:')).toBeLessThan(text.indexOf('Rules:'));
    expect(text.indexOf('Rules:')).toBeLessThan(text.indexOf('Conditions:'));
  });

  it('prints a plan run as one unit with its steps', () => {
    const planned = targetStatus.parse({
      ...recorded('recorded-status.json'),
      plans: [
        {
          rule: 'p95-degradation',
          runId: 'p-0123456789abcdef',
          phase: 'applying',
          startedAt: status.evaluatedAt - 30_000,
          clearedSince: null,
          reason: null,
          steps: [
            {
              name: 'step-0',
              target: { kind: 'Deployment', id: 'production/api-server' },
              setting: 'replicas',
              status: 'succeeded',
              before: 4,
              to: 6,
              holds: 6,
              outcome: 'applied',
            },
            {
              name: 'pool',
              target: { kind: 'PgBouncerPool', id: 'db/pool' },
              setting: 'default_pool_size',
              status: 'decided',
              before: 20,
              to: 60,
              holds: null,
              outcome: null,
            },
          ],
        },
      ],
    });
    const out = formatTargetStatus(planned, status.evaluatedAt);
    expect(out).toMatch(/\nPlan p95-degradation: +applying, started \S+ \(30s ago\)\n/);
    expect(out).toMatch(/\n {2}1 +step-0 +production\/api-server replicas +succeeded +4 → 6 +6 +applied\n/);
    expect(out).toMatch(/\n {2}2 +pool +db\/pool default_pool_size +decided +20 → 60 +- *\n/);
  });

  it('names the controls in force, and an unknown value as kubectl does', () => {
    const paused = { ...status, current: null, desired: null, policy: { ...status.policy, paused: true } };
    const out = formatTargetStatus(paused, status.evaluatedAt);
    expect(out).toContain('Controls:               paused\n');
    expect(out).toContain('Current replicas:       <unknown>\n');
  });
});

describe('formatStatusList', () => {
  it('prints one line per target under a header', () => {
    expect(formatStatusList(list).split('\n')).toEqual([
      'TARGET                 POLICY      SETTING   TARGETS                    MIN  MAX  CURRENT  DESIRED  REASON',
      'production/api-server  api-server  replicas  cpu_utilization: 100%/50%  1    3    3        3        TooManyReplicas',
      '',
    ]);
  });

  it('says when there is nothing to list', () => {
    expect(formatStatusList({ ...list, targets: [], globalPause: true })).toBe(
      'every policy is globally paused\nno policies in force\n',
    );
  });
});

describe('age', () => {
  it.each([
    [4_000, '4s'],
    [119_000, '119s'],
    [600_000, '10m'],
    [3 * 3_600_000, '3h'],
    [5 * 86_400_000, '5d'],
  ])('%d ms is %s', (ms, expected) => expect(age(ms)).toBe(expected));
});

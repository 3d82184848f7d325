import fs from 'node:fs';
import path from 'node:path';
import { parsePolicySet, type ScalingPolicy } from '@surge/policy';
import { describe, expect, it } from 'vitest';
import { readPolicyFiles } from './policy-files';
import { type SimulatedDecision, simulate } from './simulator';
import { readTrace, type TraceSample } from './trace-reader';

/**
 * The example policies against their traces: the rows examples/README.md quotes for each runbook, so the tables
 * there cannot drift from what `surgectl simulate` prints.
 */
const root = path.resolve(__dirname, '../../..');
const examples = path.join(root, 'examples');

function load(name: string) {
  const { policies, issues } = parsePolicySet(readPolicyFiles(path.join(examples, 'policies', `${name}.yaml`)));
  expect(issues).toEqual([]);
  const samples = readTrace(path.join(examples, 'traces', `${name}.jsonl`));
  return { policies, samples, result: simulate(policies, samples) };
}

/** A decision as the table prints it: time, target, setting, from, to, trigger. */
const row = (d: SimulatedDecision) =>
  [
    d.timestamp.replace('.000Z', 'Z'),
    d.target.id,
    d.setting,
    d.from,
    d.to,
    `${d.explanation.trigger.kind}:${d.explanation.trigger.name}`,
  ].join(' ');

const rows = (decisions: SimulatedDecision[]) => decisions.map(row);

/** The firing alerts `surgectl simulate` lists for the trace, as time, severity and rule. */
function alerts(policies: readonly ScalingPolicy[], samples: readonly TraceSample[]): string[] {
  return simulate(policies, samples)
    .alerts.filter((alert) => alert.status === 'firing')
    .map(
      (alert) =>
        `${new Date(alert.startsAt).toISOString().replace('.000Z', 'Z')} ${alert.labels.severity} ${alert.labels.rule}`,
    );
}

describe('example policies', () => {
  it('all parse, several policies to a file where a runbook acts on several targets', () => {
    const { policies, issues } = parsePolicySet(readPolicyFiles(path.join(examples, 'policies')));
    expect(issues).toEqual([]);
    expect(policies.map((p) => p.name).sort()).toEqual([
      'brownie-metadata-app',
      'pitchey-worker',
      'sergas-api-server',
      'sergas-auth-service',
      'smartsports-app',
      'smartsports-pgbouncer',
      'tiktok-toe',
      'tiktok-toe-pgbouncer',
      'tiktok-toe-redis',
    ]);
    for (const file of fs.readdirSync(path.join(examples, 'policies')))
      expect(fs.readFileSync(path.join(examples, 'policies', file), 'utf8')).toMatch(
        /^# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/scaling-policy\.schema\.json\n# Runbook 00\d/,
      );
  });
});

describe('runbook 000, pitchey-traffic-surge', () => {
  const { policies, samples, result } = load('pitchey-traffic-surge');
  const table = rows(result.decisions);

  it('runs the surge plan, the latency and CPU rules and the SEV-3/2/1 levels in order', () => {
    expect(table).toEqual(
      expect.arrayContaining([
        '2026-11-20T12:10:00Z production/pitchey-worker replicas 4 6 rule:request-surge',
        '2026-11-20T12:24:00Z production/pitchey-worker replicas 6 9 rule:p95-latency',
        '2026-11-20T12:29:00Z production/pitchey-worker replicas 14 18 rule:cpu-across-workers',
        '2026-11-20T12:35:00Z production/pitchey-worker replicas 18 20 rule:sev-3-errors',
        '2026-11-20T12:35:00Z production/pitchey-cache ttl_profile 0 1 rule:sev-3-errors',
        '2026-11-20T12:38:00Z production/pitchey-worker replicas 15 23 rule:sev-2-errors',
        '2026-11-20T12:42:00Z production/pitchey-worker replicas 70 100 rule:sev-1-errors',
      ]),
    );
    const sev3 = result.decisions.filter((d) => d.plan?.rule === 'sev-3-errors');
    expect(sev3.map((d) => [d.plan!.step, d.target.id])).toEqual([
      [0, 'production/pitchey-worker'],
      [1, 'production/pitchey-cache'],
    ]);
  });

  it('alerts with the severities as written', () => {
    expect(alerts(policies, samples)).toEqual([
      '2026-11-20T12:10:00Z warning request-surge',
      '2026-11-20T12:24:00Z critical p95-latency',
      '2026-11-20T12:28:00Z warning cpu-across-workers',
      '2026-11-20T12:35:00Z SEV-3 sev-3-errors',
      '2026-11-20T12:38:00Z SEV-2 sev-2-errors',
      '2026-11-20T12:41:00Z SEV-1 sev-1-errors',
    ]);
  });
});

describe('runbook 001, smartsports-ticketing', () => {
  const { policies, samples, result } = load('smartsports-ticketing');
  const table = rows(result.decisions);

  it('runs the P0 plan in the runbook order, the pool and cache five minutes after the app and the room', () => {
    const steps = result.decisions.filter((d) => d.plan?.rule === 'p0-system-overload' && d.plan.phase !== 'revert');
    expect(rows(steps)).toEqual([
      '2026-11-21T08:11:30Z production/smartsports-app replicas 5 10 rule:p0-system-overload',
      '2026-11-21T08:11:30Z production/ticket-queue mode 2 1 rule:p0-system-overload',
      '2026-11-21T08:11:30Z production/ticket-queue maxActive 1000 5000 rule:p0-system-overload',
      '2026-11-21T08:16:30Z production/pgbouncer default_pool_size 50 100 rule:p0-system-overload',
      '2026-11-21T08:16:30Z production/redis ttl_profile 0 1 rule:p0-system-overload',
    ]);
  });

  it('recovers after 15 quiet minutes, one move every 5 minutes, the app through 6', () => {
    const reverts = result.decisions.filter((d) => d.plan?.rule === 'p0-system-overload' && d.plan.phase === 'revert');
    expect(rows(reverts)).toEqual([
      '2026-11-21T08:35:00Z production/redis ttl_profile 1 0 rule:p0-system-overload',
      '2026-11-21T08:40:00Z production/pgbouncer default_pool_size 100 50 rule:p0-system-overload',
      '2026-11-21T08:45:00Z production/ticket-queue maxActive 5000 1000 rule:p0-system-overload',
      '2026-11-21T08:50:00Z production/ticket-queue mode 1 2 rule:p0-system-overload',
      '2026-11-21T08:55:00Z production/smartsports-app replicas 10 6 rule:p0-system-overload',
      '2026-11-21T09:00:00Z production/smartsports-app replicas 6 5 rule:p0-system-overload',
    ]);
  });

  it('scales on P1, P2, the pool rule, sustained CPU and the pre-event floors', () => {
    expect(table).toEqual(
      expect.arrayContaining([
        '2026-11-21T08:06:00Z production/smartsports-app replicas 2 4 rule:p2-latency',
        '2026-11-21T08:09:00Z production/smartsports-app replicas 4 5 rule:p1-degradation',
        '2026-11-21T09:21:00Z production/pgbouncer default_pool_size 50 100 rule:db-connections-80-percent',
        '2026-11-21T09:35:00Z production/smartsports-app replicas 2 3 metric:cpu_utilization',
        '2026-11-21T09:42:00Z production/smartsports-app replicas 6 8 rule:p2-error-rate',
        '2026-11-21T14:00:00Z production/smartsports-app replicas 2 6 schedule:two-hours-before',
        '2026-11-21T15:00:00Z production/smartsports-app replicas 6 10 schedule:one-hour-before',
        '2026-11-21T20:00:00Z production/smartsports-app replicas 10 6 metric:cpu_utilization',
        '2026-11-21T20:06:00Z production/smartsports-app replicas 6 4 metric:cpu_utilization',
        '2026-11-21T20:12:00Z production/smartsports-app replicas 4 2 metric:cpu_utilization',
      ]),
    );
    // CPU 75 % from 09:30: nothing before it has held for 5 minutes.
    expect(table.filter((r) => r.startsWith('2026-11-21T09:3') && r.includes('metric:cpu'))[0]).toContain('09:35:00Z');
  });

  it('alerts P0, P1 and P2 as written', () => {
    expect(alerts(policies, samples)).toEqual([
      '2026-11-21T08:06:00Z P2 p2-latency',
      '2026-11-21T08:09:00Z P1 p1-degradation',
      '2026-11-21T08:11:30Z P0 p0-system-overload',
      '2026-11-21T09:21:00Z P2 db-connections-80-percent',
      '2026-11-21T09:33:00Z P2 p2-resources',
      '2026-11-21T09:42:00Z P2 p2-error-rate',
    ]);
  });
});

describe('runbook 002, tiktoktoe-app', () => {
  const { policies, samples, result } = load('tiktoktoe-app');

  it('goes to 10 on the critical request rate and back through 7 and 5 once settled', () => {
    expect(rows(result.decisions.filter((d) => d.target.id === 'default/tiktok-toe')).slice(0, 5)).toEqual([
      '2026-11-20T08:13:00Z default/tiktok-toe replicas 3 6 rule:requests-critical',
      '2026-11-20T08:14:00Z default/tiktok-toe replicas 6 10 rule:requests-critical',
      '2026-11-20T08:35:00Z default/tiktok-toe replicas 10 7 rule:requests-critical',
      '2026-11-20T08:40:00Z default/tiktok-toe replicas 7 5 metric:memory_utilization',
      '2026-11-20T08:45:00Z default/tiktok-toe replicas 5 3 rule:requests-critical',
    ]);
  });

  it('raises the pool and the cache memory on their critical thresholds', () => {
    expect(rows(result.decisions.filter((d) => d.target.id !== 'default/tiktok-toe'))).toEqual([
      '2026-11-20T08:25:00Z default/pgbouncer default_pool_size 20 30 rule:db-connections-critical',
      '2026-11-20T08:25:00Z default/redis maxmemory 1073741824 1610612736 rule:cache-memory-critical',
    ]);
  });

  it('alerts on every warning and critical threshold', () => {
    expect(alerts(policies, samples)).toEqual([
      '2026-11-20T08:05:00Z warning db-cpu-warning',
      '2026-11-20T08:06:00Z warning requests-warning',
      '2026-11-20T08:10:00Z warning cpu-warning',
      '2026-11-20T08:13:00Z critical requests-critical',
      '2026-11-20T08:15:00Z warning db-connections-warning',
      '2026-11-20T08:15:00Z warning db-storage-warning',
      '2026-11-20T08:15:00Z warning cache-memory-warning',
      '2026-11-20T08:15:00Z warning cache-hit-rate-warning',
      '2026-11-20T08:25:00Z critical db-connections-critical',
      '2026-11-20T08:25:00Z critical cache-memory-critical',
      '2026-11-20T09:10:00Z warning memory-warning',
      '2026-11-20T09:10:00Z critical cpu-memory-critical',
    ]);
  });
});

describe('runbook 003, sergas-api-server', () => {
  const { policies, samples, result } = load('sergas-api-server');
  const table = rows(result.decisions);

  it('runs the queue-depth plan on the api-server and the workers, and the emergency plan in order', () => {
    const queue = result.decisions.filter((d) => d.plan?.rule === 'queue-depth-critical' && d.plan.phase !== 'revert');
    expect(rows(queue)).toEqual([
      '2026-11-23T06:27:00Z production/api-server replicas 5 8 rule:queue-depth-critical',
      '2026-11-23T06:27:00Z production/worker replicas 8 12 rule:queue-depth-critical',
    ]);
    // Step 1 (api-server 30) changes nothing: the api-server is at its maxReplicas 20 already.
    const emergency = result.decisions.filter((d) => d.plan?.rule === 'emergency-scale-out');
    expect(
      emergency.map((d) => [
        d.plan!.phase === 'revert' ? 'revert' : 'step',
        d.plan!.step,
        d.target.id,
        d.setting,
        d.to,
      ]),
    ).toEqual([
      ['step', 1, 'production/auth-service', 'replicas', 15],
      ['step', 2, 'production/worker', 'replicas', 20],
      ['step', 3, 'production/redis', 'maxmemory', 17179869184],
      ['step', 4, 'production/redis', 'ttl_profile', 1],
      ['revert', 4, 'production/redis', 'ttl_profile', 0],
      ['revert', 3, 'production/redis', 'maxmemory', 8589934592],
      ['revert', 2, 'production/worker', 'replicas', 12],
      ['revert', 1, 'production/auth-service', 'replicas', 4],
    ]);
  });

  it('scales on the critical thresholds and follows the schedules, the weekend cap below minReplicas', () => {
    expect(table).toEqual(
      expect.arrayContaining([
        '2026-11-22T23:50:00Z production/api-server replicas 3 2 schedule:weekend-minimal',
        '2026-11-23T06:23:00Z production/api-server replicas 3 5 rule:errors-critical',
        '2026-11-23T06:35:00Z production/api-server replicas 8 12 rule:p95-critical',
        '2026-11-23T07:25:00Z production/api-server replicas 6 9 rule:memory-critical',
        '2026-11-23T07:45:00Z production/api-server replicas 12 18 rule:cpu-critical',
        '2026-11-23T09:30:00Z production/api-server replicas 10 20 schedule:launch-pre-scale',
        '2026-11-23T09:30:00Z production/auth-service replicas 3 10 schedule:launch-pre-scale',
        '2026-11-23T14:00:00Z production/api-server replicas 20 10 schedule:after-launch',
        '2026-11-23T14:00:00Z production/auth-service replicas 10 3 schedule:after-launch',
      ]),
    );
  });

  it('alerts on the warnings', () => {
    const warnings = alerts(policies, samples).filter((a) => a.includes(' warning '));
    expect(warnings.slice(0, 5)).toEqual([
      '2026-11-23T06:00:00Z warning queue-depth-warning',
      '2026-11-23T06:00:00Z warning p95-warning',
      '2026-11-23T06:00:00Z warning errors-warning',
      '2026-11-23T06:05:00Z warning memory-warning',
      '2026-11-23T06:15:00Z warning cpu-warning',
    ]);
    expect(warnings).toContain('2026-11-23T06:38:00Z warning request-rate-warning');
  });
});

describe('runbook 004, brownie-metadata-app', () => {
  const { result } = load('brownie-metadata-app');

  it('keeps the HPA behavior and scales the read replicas to 3, back to 1 after 15 quiet minutes', () => {
    const table = rows(result.decisions);
    expect(table.slice(0, 4)).toEqual([
      '2026-11-20T10:07:45Z brownie-metadata/brownie-metadata-app replicas 2 3 metric:cpu_utilization',
      '2026-11-20T10:08:45Z brownie-metadata/brownie-metadata-app replicas 3 5 metric:cpu_utilization',
      '2026-11-20T10:09:45Z brownie-metadata/brownie-metadata-app replicas 5 7 metric:cpu_utilization',
      '2026-11-20T10:10:45Z brownie-metadata/brownie-metadata-app replicas 7 10 metric:cpu_utilization',
    ]);
    expect(table.filter((r) => r.includes('postgres-replica'))).toEqual([
      '2026-11-20T10:11:30Z brownie-metadata/postgres-replica replicas 1 3 rule:horizontal-scaling',
      '2026-11-20T10:30:00Z brownie-metadata/postgres-replica replicas 3 1 rule:horizontal-scaling',
    ]);
    expect(table).toContain(
      '2026-11-20T10:19:45Z brownie-metadata/brownie-metadata-app replicas 10 9 metric:memory_utilization',
    );
  });
});

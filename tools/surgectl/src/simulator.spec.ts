import { parsePolicyText } from '@surge/policy';
import { describe, expect, it } from 'vitest';
import { simulate } from './simulator';
import type { TraceSample } from './trace-reader';
import { formatApprovalTable } from './approval-table';

const policy = (name: string, spec: string) =>
  parsePolicyText(
    `apiVersion: surge.dev/v1\nkind: ScalingPolicy\nmetadata: { name: ${name} }\nspec:\n${spec}`,
    `${name}.yaml`,
  )[0]!;

const shop = policy(
  'shop',
  `  target: { id: demo/shop, kind: LocalPool }
  minReplicas: 1
  maxReplicas: 10
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
  rules: [{ name: slow, when: { metric: http_p95_ms, op: ">", value: 500, for: 20s }, severity: critical, action: { scaleTo: 8 } }]
  behavior: {}`,
);
const pool = policy(
  'pool',
  `  target: { id: demo/pgbouncer, kind: PgBouncerPool }
  setting: default_pool_size
  min: 5
  max: 50
  step: 5
  metricsFrom: [demo/shop]
  metrics: [{ metric: inflight_requests, target: { type: AverageValue, averageValue: 2 } }]`,
);

const T0 = Date.parse('2026-01-01T00:00:00Z');
let line = 0;
const s = (seconds: number, target: string, metric: string, value: number): TraceSample => ({
  target,
  metric,
  value,
  timestamp: T0 + seconds * 1000,
  line: ++line,
});

describe('simulate', () => {
  it('evaluates the samples of one target and time together, and applies each decision at once', () => {
    const result = simulate(
      [shop],
      [
        s(0, 'demo/shop', 'replicas', 2),
        s(0, 'demo/shop', 'cpu_utilization', 100),
        s(5, 'demo/shop', 'cpu_utilization', 52),
      ],
    );
    expect(result.decisions.map((d) => [d.timestamp, d.from, d.to])).toEqual([['2026-01-01T00:00:00.000Z', 2, 4]]);
    expect(result.evaluations).toBe(2);
    expect(result.decisions[0]!.reason).toBe(result.decisions[0]!.explanation.summary);
  });

  it('takes --initial as the starting value until a sample of the setting says otherwise', () => {
    const result = simulate(
      [shop],
      [
        s(0, 'demo/shop', 'cpu_utilization', 100),
        s(30, 'demo/shop', 'replicas', 7),
        s(30, 'demo/shop', 'cpu_utilization', 100),
      ],
      3,
    );
    expect(result.decisions.map((d) => [d.from, d.to])).toEqual([
      [3, 6],
      [7, 10],
    ]);
  });

  it("fires `for` windows on a timer between samples, at the window's end", () => {
    const samples = [s(0, 'demo/shop', 'replicas', 2)];
    for (let t = 0; t <= 30; t += 7)
      samples.push(s(t, 'demo/shop', 'http_p95_ms', 900), s(t, 'demo/shop', 'cpu_utilization', 50));
    const result = simulate([shop], samples);
    expect(result.decisions).toHaveLength(1);
    expect(result.decisions[0]).toMatchObject({
      timestamp: '2026-01-01T00:00:20.000Z',
      to: 6,
      severity: 'critical',
      explanation: { trigger: { kind: 'rule', name: 'slow' } },
    });
  });

  // ceil(60 / 2) = 30 is asked for; the default scale-up limit (doubling per 15 s) allows 20. The shop's own
  // default_pool_size sample must not pass for the pool's current value.
  it("routes a target's samples to policies that read them through metricsFrom, but never its setting", () => {
    const result = simulate(
      [shop, pool],
      [
        s(0, 'demo/pgbouncer', 'default_pool_size', 10),
        s(0, 'demo/shop', 'replicas', 4),
        s(0, 'demo/shop', 'default_pool_size', 45),
        s(0, 'demo/shop', 'inflight_requests', 60),
      ],
    );
    expect(result.decisions.map((d) => [d.target.id, d.setting, d.from, d.to])).toEqual([
      ['demo/pgbouncer', 'default_pool_size', 10, 20],
    ]);
  });

  // The engine folds an executor's observation without evaluating, and drops reserved names from workload samples.
  it('reads a trace line of the setting as an observation, with no evaluation of its own, as the engine does', () => {
    const floor = policy(
      'floor',
      `  target: { id: demo/shop, kind: LocalPool }
  minReplicas: 1
  maxReplicas: 10
  rules: [{ name: too-few, when: { metric: replicas, op: "<", value: 2 }, action: { scaleTo: 3 } }]`,
    );
    const result = simulate(
      [floor],
      [
        s(0, 'demo/shop', 'replicas', 1),
        s(0, 'demo/shop', 'http_p95_ms', 10),
        s(10, 'demo/shop', 'replicas', 1),
        s(20, 'demo/shop', 'replicas_desired', 3),
      ],
    );
    expect(result.decisions.map((d) => [d.timestamp, d.from, d.to])).toEqual([['2026-01-01T00:00:00.000Z', 1, 3]]);
    expect(result.evaluations).toBe(1);
  });

  it('reports targets without a policy', () => {
    expect(simulate([shop], [s(0, 'other/app', 'cpu_utilization', 1)]).unknownTargets).toEqual(['other/app']);
  });
});

describe('simulate with a plan', () => {
  const planned = policy(
    'planned',
    `  target: { id: demo/shop, kind: LocalPool }
  minReplicas: 2
  maxReplicas: 10
  rules:
    - name: slow
      when: { metric: http_p95_ms, op: ">", value: 500, for: 20s }
      plan:
        steps:
          - { scaleTo: 6 }
          - { target: { id: demo/pgbouncer, kind: PgBouncerPool }, setting: default_pool_size, scaleTo: 40, after: 30s }
      recovery: { after: 60s }`,
  );

  it('carries the steps out in order, each after the one before, and reverts them once quiet', () => {
    const result = simulate(
      [planned],
      [
        s(0, 'demo/shop', 'replicas', 2),
        s(0, 'demo/pgbouncer', 'default_pool_size', 20),
        s(0, 'demo/shop', 'http_p95_ms', 900),
        s(20, 'demo/shop', 'http_p95_ms', 900),
        s(100, 'demo/shop', 'http_p95_ms', 100),
        s(200, 'demo/shop', 'http_p95_ms', 100),
      ],
    );
    expect(result.unknownTargets).toEqual([]);
    expect(result.decisions.map((d) => [(d.eventTime - T0) / 1000, d.target.id, d.from, d.to, d.plan?.phase])).toEqual([
      [20, 'demo/shop', 2, 6, 'apply'],
      [50, 'demo/pgbouncer', 20, 40, 'apply'],
      [160, 'demo/pgbouncer', 40, 20, 'revert'],
      [160, 'demo/shop', 6, 2, 'revert'],
    ]);
  });
  it('waits for an approval no operator gives offline, then takes the plan’s onTimeout and says so', () => {
    const approved = policy(
      'approved',
      `  target: { id: demo/shop, kind: LocalPool }
  minReplicas: 2
  maxReplicas: 10
  metricStaleness: 10m
  rules:
    - name: slow
      when: { metric: http_p95_ms, op: ">", value: 500 }
      plan:
        approval: { above: { replicas: 2 }, timeout: 5m, onTimeout: apply }
        steps: [{ scaleTo: 6 }]`,
    );
    const result = simulate(
      [approved],
      [
        s(0, 'demo/shop', 'replicas', 2),
        s(0, 'demo/shop', 'http_p95_ms', 900),
        s(600, 'demo/shop', 'http_p95_ms', 900),
      ],
    );
    // Asked at 0 s, no answer: the deadline's timer applies the step at 300 s.
    expect(result.decisions.map((d) => [(d.eventTime - T0) / 1000, d.from, d.to])).toEqual([[300, 2, 6]]);
    expect(result.decisions[0]!.reason).toContain('no approval within 300s');
    const table = formatApprovalTable(result.alerts);
    expect(table).toContain('APPROVALS');
    expect(table).toContain('no operator answers offline');
    expect(table).toContain('onTimeout apply');
  });
});

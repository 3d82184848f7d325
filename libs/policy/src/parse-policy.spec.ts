import { describe, expect, it } from 'vitest';
import { parsePolicySet, parsePolicyText } from './parse-policy';
import { PolicyValidationError } from './policy-error';

const ISSUE_EXAMPLE = `
apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: checkout-api }
spec:
  target: { id: "production/checkout-api", kind: Deployment, namespace: production, name: checkout-api }
  minReplicas: 2
  maxReplicas: 40
  metrics:
    - { metric: cpu_utilization, target: { type: Utilization, averageUtilization: 70 } }
    - { metric: http_requests_per_second, target: { type: AverageValue, averageValue: 1000 } }
  rules:
    - name: p95-latency-critical
      when: { metric: http_p95_ms, op: ">", value: 2000, for: 10m }
      severity: critical
      action: { scaleBy: "+50%" }
  behavior:
    scaleUp:   { stabilizationWindowSeconds: 0,   selectPolicy: Max, policies: [{ type: Percent, value: 100, periodSeconds: 15 }, { type: Pods, value: 4, periodSeconds: 15 }] }
    scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: Percent, value: 100, periodSeconds: 15 }] }
  schedules:
    - { cron: "0 18 * * 5", timezone: "Africa/Kigali", duration: 4h, minReplicas: 10 }
`;

const minimal = (spec: string) => `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: p }
spec:
  target: { id: a/b, kind: Deployment }
${spec}`;

function issuesOf(text: string) {
  try {
    parsePolicyText(text, 'policies/p.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    return (error as PolicyValidationError).issues;
  }
  throw new Error('expected a validation error');
}

describe('parsePolicyText', () => {
  it('reads the issue example into a normalized policy', () => {
    const [policy] = parsePolicyText(ISSUE_EXAMPLE, 'checkout.yaml');
    expect(policy).toMatchObject({
      name: 'checkout-api',
      setting: 'replicas',
      min: 2,
      max: 40,
      step: 1,
      metrics: [
        { metric: 'cpu_utilization', type: 'Utilization', target: 70 },
        { metric: 'http_requests_per_second', type: 'AverageValue', target: 1000 },
      ],
      rules: [
        {
          name: 'p95-latency-critical',
          forSeconds: 600,
          severity: 'critical',
          action: { kind: 'scaleBy', mode: 'percent', amount: 50 },
        },
      ],
      schedules: [{ cron: '0 18 * * 5', timezone: 'Africa/Kigali', durationSeconds: 14400, min: 10 }],
      paused: false,
      dryRun: false,
    });
    expect(policy!.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it("fills HPA v2's defaults field by field", () => {
    const [policy] = parsePolicyText(
      minimal(
        '  maxReplicas: 5\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 50 } }]\n  behavior: { scaleDown: { stabilizationWindowSeconds: 60 } }',
      ),
      'p.yaml',
    );
    expect(policy!.min).toBe(1);
    expect(policy!.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        tolerance: 0.1,
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 15 },
          { type: 'Pods', value: 4, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 60,
        selectPolicy: 'Max',
        tolerance: 0.1,
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    });
  });

  it('hashes the normalized document: key order and spelled-out defaults do not change the version', () => {
    const a = parsePolicyText(
      minimal('  maxReplicas: 5\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 50 } }]'),
      'a.yaml',
    )[0]!;
    const b = parsePolicyText(
      minimal(
        '  metrics: [{ target: { averageUtilization: 50, type: Utilization }, metric: cpu }]\n  minReplicas: 1\n  maxReplicas: 5\n  setting: replicas',
      ),
      'b.yaml',
    )[0]!;
    const c = parsePolicyText(
      minimal('  maxReplicas: 6\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 50 } }]'),
      'c.yaml',
    )[0]!;
    expect(a.version).toBe(b.version);
    expect(c.version).not.toBe(a.version);
  });

  it('reads value-typed settings, severity aliases as written, combined conditions and expressions', () => {
    const [policy] = parsePolicyText(
      minimal(`  setting: default_pool_size
  min: 10
  max: 200
  step: 5
  rules:
    - { name: a, when: { all: [{ metric: x, op: ">", value: 1 }, { any: [{ metric: y, op: "<", value: 2 }, { expr: "z / 2 > 1" }] }], for: 30s }, severity: P2, action: { scaleBy: "+2" } }
    - { name: b, when: { expr: "max(x, y) >= 3" }, severity: P0, action: { scaleTo: 50 } }`),
      'p.yaml',
    );
    expect(policy).toMatchObject({ setting: 'default_pool_size', min: 10, max: 200, step: 5 });
    expect(policy!.rules.map((r) => [r.severity, r.forSeconds, r.when.kind])).toEqual([
      ['P2', 30, 'all'],
      ['P0', 0, 'expr'],
    ]);
  });

  it.each([
    [
      'a bad operator',
      minimal(
        '  maxReplicas: 5\n  rules: [{ name: r, when: { metric: x, op: "=>", value: 1 }, action: { scaleTo: 2 } }]',
      ),
      'spec.rules.0.when.op',
      /one of/,
    ],
    [
      'a bad duration',
      minimal(
        '  maxReplicas: 5\n  rules: [{ name: r, when: { metric: x, op: ">", value: 1, for: 5 minutes }, action: { scaleTo: 2 } }]',
      ),
      'spec.rules.0.when.for',
      /30s, 5m, 1h/,
    ],
    [
      'an unsafe expression',
      minimal('  maxReplicas: 5\n  rules: [{ name: r, when: { expr: "process.exit(1)" }, action: { scaleTo: 2 } }]'),
      'spec.rules.0.when.expr',
      /only the functions/,
    ],
    [
      'a bad scaleBy',
      minimal(
        '  maxReplicas: 5\n  rules: [{ name: r, when: { metric: x, op: ">", value: 1 }, action: { scaleBy: "50%" } }]',
      ),
      'spec.rules.0.action.scaleBy',
      /\+50%/,
    ],
    [
      'min above max',
      minimal(
        '  minReplicas: 9\n  maxReplicas: 5\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 50 } }]',
      ),
      'spec.minReplicas',
      /must not exceed/,
    ],
    [
      'a missing maximum',
      minimal('  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 50 } }]'),
      'spec.max',
      /required/,
    ],
    [
      'an unknown field',
      minimal(
        '  maxReplicas: 5\n  maxReplica: 5\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 50 } }]',
      ),
      'spec',
      /maxReplica/,
    ],
    [
      'a bad target type',
      minimal('  maxReplicas: 5\n  metrics: [{ metric: cpu, target: { type: Percent, averageUtilization: 50 } }]'),
      'spec.metrics.0.target.type',
      /./,
    ],
    [
      'a bad selectPolicy',
      minimal(
        '  maxReplicas: 5\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 50 } }]\n  behavior: { scaleUp: { selectPolicy: Maximum } }',
      ),
      'spec.behavior.scaleUp.selectPolicy',
      /./,
    ],
    [
      'a bad cron',
      minimal('  maxReplicas: 5\n  schedules: [{ cron: "every friday", duration: 1h, minReplicas: 3 }]'),
      'spec.schedules.0.cron',
      /cron/,
    ],
    [
      'a bad time zone',
      minimal(
        '  maxReplicas: 5\n  schedules: [{ cron: "0 18 * * 5", timezone: Mars/Olympus, duration: 1h, minReplicas: 3 }]',
      ),
      'spec.schedules.0.timezone',
      /time zone/,
    ],
    // One-off windows (runbook 003 l.494-509: "at 9:30 AM pre-scale ... after the event, 2 PM, scale down").
    [
      'a schedule with both forms',
      minimal(
        '  maxReplicas: 5\n  schedules: [{ cron: "0 9 * * *", duration: 1h, from: 2026-03-14T09:00, to: 2026-03-14T14:00, min: 3 }]',
      ),
      'spec.schedules.0.from',
      /cron \+ duration or from \+ to, not both/,
    ],
    [
      'a schedule with neither form',
      minimal('  maxReplicas: 5\n  schedules: [{ min: 3 }]'),
      'spec.schedules.0.cron',
      /needs cron \+ duration .* or from \+ to/,
    ],
    [
      'a one-off window without its end',
      minimal('  maxReplicas: 5\n  schedules: [{ from: 2026-03-14T09:00, min: 3 }]'),
      'spec.schedules.0.to',
      /is required with from/,
    ],
    [
      'a one-off window ending before it starts',
      minimal('  maxReplicas: 5\n  schedules: [{ from: 2026-03-14T14:00, to: 2026-03-14T09:00, min: 3 }]'),
      'spec.schedules.0.to',
      /must be after from \(2026-03-14T14:00\)/,
    ],
    [
      'a one-off window of no length',
      minimal('  maxReplicas: 5\n  schedules: [{ from: 2026-03-14T09:00, to: 2026-03-14T09:00, min: 3 }]'),
      'spec.schedules.0.to',
      /must be after from/,
    ],
    [
      'a bad date',
      minimal('  maxReplicas: 5\n  schedules: [{ from: 2026-02-30T09:00, to: 2026-03-01T09:00, min: 3 }]'),
      'spec.schedules.0.from',
      /"2026-02-30T09:00" is not a valid date-time/,
    ],
    [
      'a date that is no date-time',
      minimal('  maxReplicas: 5\n  schedules: [{ from: 2026-03-14T09:00, to: "next Tuesday", min: 3 }]'),
      'spec.schedules.0.to',
      /ISO-8601/,
    ],
    [
      'a schedule with neither floor nor cap',
      minimal('  maxReplicas: 5\n  schedules: [{ cron: "0 9 * * *", duration: 1h }]'),
      'spec.schedules.0',
      /needs a floor .* a cap/,
    ],
    [
      "a schedule's floor above its own cap",
      minimal('  maxReplicas: 5\n  schedules: [{ cron: "0 9 * * *", duration: 1h, min: 4, max: 2 }]'),
      'spec.schedules.0.min',
      /must not exceed the schedule's own maximum \(2\)/,
    ],
    [
      'a floor alone above maxReplicas',
      minimal('  maxReplicas: 5\n  schedules: [{ cron: "0 9 * * *", duration: 1h, minReplicas: 6 }]'),
      'spec.schedules.0.minReplicas',
      /exceeds the maximum \(5\)/,
    ],
    [
      'a schedule that would let replicas reach 0',
      minimal('  minReplicas: 3\n  maxReplicas: 5\n  schedules: [{ cron: "0 0 * * 6", duration: 2d, min: 0, max: 2 }]'),
      'spec.schedules.0.min',
      /at least 1/,
    ],
    [
      'a metric for of zero',
      minimal(
        '  maxReplicas: 5\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 70 }, for: 0s }]',
      ),
      'spec.metrics.0.for',
      /must be positive/,
    ],
    [
      'a metric window over an hour',
      minimal(
        '  maxReplicas: 5\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 70 }, window: 2h }]',
      ),
      'spec.metrics.0.window',
      /at most 3600s/,
    ],
    [
      'a wrong apiVersion',
      minimal('  maxReplicas: 5').replace('surge.dev/v1', 'surge.dev/v2'),
      'apiVersion',
      /surge.dev\/v1/,
    ],
    ['nothing to scale on', minimal('  maxReplicas: 5'), 'spec.metrics', /at least one/],
    [
      'a metric on a reserved setting name',
      minimal(
        '  maxReplicas: 5\n  metrics: [{ metric: status_replicas, target: { type: AverageValue, averageValue: 2 } }]',
      ),
      'spec.metrics.0.metric',
      /"status_replicas" is a reserved setting name.*own setting \("replicas"\)/,
    ],
    [
      "a rule on another kind's reserved setting",
      minimal(
        '  maxReplicas: 5\n  rules: [{ name: r, when: { all: [{ metric: x, op: ">", value: 1 }, { metric: default_pool_size, op: ">", value: 1 }] }, action: { scaleTo: 2 } }]',
      ),
      'spec.rules.0.when.all.1.metric',
      /"default_pool_size" is a reserved setting name/,
    ],
    [
      'a formula reading a reserved setting',
      minimal('  maxReplicas: 5\n  rules: [{ name: r, when: { expr: "maxmemory > 10" }, action: { scaleTo: 2 } }]'),
      'spec.rules.0.when.expr',
      /"maxmemory" is a reserved setting name/,
    ],
  ])('names the file, field path and problem for %s', (_name, text, path, message) => {
    const issues = issuesOf(text);
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.file).toBe('policies/p.yaml');
    expect(issue!.message).toMatch(message);
  });

  it("accepts a rule on the policy's own setting, which its executor reports", () => {
    const text = minimal(
      '  maxReplicas: 5\n  rules: [{ name: r, when: { metric: replicas, op: "<", value: 2 }, action: { scaleTo: 2 } }]',
    );
    expect(parsePolicyText(text, 'p.yaml')[0]!.rules[0]!.when).toMatchObject({ metric: 'replicas' });
  });

  it('reads one-off windows in their time zone, and caps that replace the bounds', () => {
    const [policy] = parsePolicyText(
      minimal(`  minReplicas: 3
  maxReplicas: 20
  schedules:
    - { name: launch, from: 2026-11-23T09:30, to: 2026-11-23T14:00, timezone: Europe/Berlin, minReplicas: 20 }
    - { name: sale, from: "2026-11-24T09:00+02:00", to: "2026-11-24T12:00+02:00", max: 40 }
    - { name: weekend-minimal, cron: "0 0 * * 6", duration: 2d, maxReplicas: 2 }`),
      'p.yaml',
    );
    expect(policy!.schedules).toEqual([
      {
        name: 'launch',
        timezone: 'Europe/Berlin',
        from: Date.parse('2026-11-23T08:30:00Z'),
        to: Date.parse('2026-11-23T13:00:00Z'),
        min: 20,
      },
      {
        name: 'sale',
        timezone: 'UTC',
        from: Date.parse('2026-11-24T07:00:00Z'),
        to: Date.parse('2026-11-24T10:00:00Z'),
        max: 40,
      },
      { name: 'weekend-minimal', timezone: 'UTC', cron: '0 0 * * 6', durationSeconds: 172800, max: 2 },
    ]);
  });

  it('reads a metric’s for and window in seconds, and leaves them out when absent', () => {
    const [policy] = parsePolicyText(
      minimal(`  maxReplicas: 5
  metrics:
    - { metric: cpu, target: { type: Utilization, averageUtilization: 70 }, for: 5m, window: 2m }
    - { metric: rps, target: { type: AverageValue, averageValue: 100 } }`),
      'p.yaml',
    );
    expect(policy!.metrics).toEqual([
      { metric: 'cpu', type: 'Utilization', target: 70, forSeconds: 300, windowSeconds: 120 },
      { metric: 'rps', type: 'AverageValue', target: 100 },
    ]);
  });

  it('reports broken YAML', () => {
    const issues = issuesOf('apiVersion: surge.dev/v1\nspec: [unclosed');
    expect(issues[0]).toMatchObject({ file: 'policies/p.yaml', path: '(yaml)' });
  });
});

describe('parsePolicySet', () => {
  it('keeps the good files, reports the bad ones and rejects a second policy for one target', () => {
    const good = minimal(
      '  maxReplicas: 5\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 50 } }]',
    );
    const result = parsePolicySet([
      { file: 'a.yaml', text: good },
      { file: 'b.yaml', text: good.replace('name: p', 'name: q') },
      { file: 'c.yaml', text: 'kind: Nope' },
    ]);
    expect(result.policies.map((p) => p.name)).toEqual(['p']);
    expect(result.issues.map((i) => `${i.file} ${i.path}`)).toEqual(
      expect.arrayContaining(['b.yaml spec.target.id', 'c.yaml apiVersion']),
    );
  });
});

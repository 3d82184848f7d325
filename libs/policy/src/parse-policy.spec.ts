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

  it('reads value-typed settings, severity aliases, combined conditions and expressions', () => {
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
      ['warning', 30, 'all'],
      ['critical', 0, 'expr'],
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

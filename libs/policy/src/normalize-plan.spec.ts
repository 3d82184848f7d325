import { describe, expect, it } from 'vitest';
import { parsePolicyText } from './parse-policy';
import { PolicyValidationError } from './policy-error';

const policy = (rule: string) => `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: p }
spec:
  target: { id: shop/api, kind: Deployment }
  minReplicas: 2
  maxReplicas: 40
  rules:
    - name: slow
      when: { metric: http_p95_ms, op: ">", value: 5000 }
      for: 2m
${rule}
`;

function issuesOf(text: string) {
  try {
    parsePolicyText(text, 'p.yaml');
    return [];
  } catch (error) {
    return (error as PolicyValidationError).issues.map((issue) => [issue.path, issue.message]);
  }
}

describe('plans in the policy language', () => {
  it('fills each step’s target, setting and name, reads named values and waits, and the recovery', () => {
    const [parsed] = parsePolicyText(
      policy(`      plan:
        steps:
          - { scaleBy: "+50%" }
          - { name: pool, target: { id: db/pool, kind: PgBouncerPool }, setting: default_pool_size, scaleTo: 60 }
          - { target: { id: shop/room, kind: VirtualQueue }, setting: mode, scaleTo: queue, after: 10m }
      recovery: { after: 15m, every: 5m, by: 50% }`),
      'p.yaml',
    );
    const rule = parsed!.rules[0]!;
    expect(rule.plan).toEqual({
      onStepFailure: 'stop',
      resultTimeoutSeconds: 300,
      steps: [
        {
          name: 'step-0',
          target: { id: 'shop/api', kind: 'Deployment' },
          setting: 'replicas',
          action: { kind: 'scaleBy', mode: 'percent', amount: 50 },
          afterSeconds: 0,
        },
        {
          name: 'pool',
          target: { id: 'db/pool', kind: 'PgBouncerPool' },
          setting: 'default_pool_size',
          action: { kind: 'scaleTo', value: 60 },
          afterSeconds: 0,
        },
        {
          name: 'step-2',
          target: { id: 'shop/room', kind: 'VirtualQueue' },
          setting: 'mode',
          action: { kind: 'scaleTo', value: 1 },
          afterSeconds: 600,
        },
      ],
    });
    expect(rule.recovery).toEqual({ afterSeconds: 900, everySeconds: 300, by: { mode: 'percent', amount: 50 } });
    // A rule with a plan acts, so it does not notify unless it says so.
    expect(rule.notify).toBeUndefined();
  });

  it('reads a plan’s verification, rollback by default', () => {
    const [parsed] = parsePolicyText(
      policy(`      plan: { steps: [{ scaleBy: "+50%" }] }
      verify: { within: 5m, expr: "http_p95_ms < before_http_p95_ms && http_error_rate_percent < 2" }`),
      'p.yaml',
    );
    expect(parsed!.rules[0]!.verify).toMatchObject({
      withinSeconds: 300,
      onFailure: 'rollback',
      expression: { metrics: ['before_http_p95_ms', 'http_error_rate_percent', 'http_p95_ms'] },
    });
  });

  it('reads an action’s gradual recovery through listed values', () => {
    const [parsed] = parsePolicyText(
      policy(`      action: { scaleTo: 10 }
      recovery: { after: 15m, every: 5m, through: [6, 4] }`),
      'p.yaml',
    );
    expect(parsed!.rules[0]!.recovery).toEqual({ afterSeconds: 900, everySeconds: 300, through: [6, 4] });
  });

  it.each([
    [
      'an action and a plan',
      '      action: { scaleTo: 4 }\n      plan: { steps: [{ scaleTo: 5 }] }',
      'spec.rules.0.plan',
      /not both/,
    ],
    [
      'a step with no change',
      '      plan: { steps: [{ setting: replicas }] }',
      'spec.rules.0.plan.steps.0',
      /scaleBy or scaleTo/,
    ],
    [
      'two steps on one setting',
      '      plan: { steps: [{ scaleTo: 5 }, { scaleBy: "+1" }] }',
      'spec.rules.0.plan.steps.1',
      /one step per setting/,
    ],
    [
      'an unknown named value',
      '      plan: { steps: [{ target: { id: r, kind: VirtualQueue }, setting: mode, scaleTo: open }] }',
      'spec.rules.0.plan.steps.0.scaleTo',
      /not a named value of mode/,
    ],
    [
      'a gradual recovery without every',
      '      action: { scaleTo: 10 }\n      recovery: { after: 15m, by: 2 }',
      'spec.rules.0.recovery.every',
      /needs every/,
    ],
    [
      'both by and through',
      '      action: { scaleTo: 10 }\n      recovery: { after: 15m, every: 1m, by: 2, through: [4] }',
      'spec.rules.0.recovery.by',
      /not both/,
    ],
    [
      'a recovery on a rule that only notifies',
      '      recovery: { after: 15m }',
      'spec.rules.0.recovery',
      /only notifies/,
    ],
    [
      'a verify without a plan',
      '      action: { scaleTo: 10 }\n      verify: { within: 5m, expr: "http_p95_ms < 2000" }',
      'spec.rules.0.verify',
      /one-step plan/,
    ],
    [
      'a verify expression that is not one',
      '      plan: { steps: [{ scaleTo: 5 }] }\n      verify: { within: 5m, expr: "http_p95_ms <" }',
      'spec.rules.0.verify.expr',
      /cannot parse/,
    ],
  ])('refuses %s', (_name, rule, path, message) => {
    const issues = issuesOf(policy(rule));
    expect(issues).toContainEqual([path, expect.stringMatching(message)]);
  });
});

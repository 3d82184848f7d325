import { describe, expect, it } from 'vitest';
import { parsePolicyText } from './parse-policy';
import { PolicyValidationError } from './policy-error';
import { coarseSeverity, compareSeverity, RULE_SEVERITIES, type RuleSeverity, severityRank } from './severity';

const policyWith = (rules: string) => `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: p }
spec:
  target: { id: a/b, kind: Deployment }
  maxReplicas: 10
  rules:
${rules}`;

const rule = (name: string, extra: string) =>
  `    - { name: ${name}, when: { metric: x, op: ">", value: 1 }, ${extra} }\n`;

function issuesOf(text: string): string[] {
  try {
    parsePolicyText(text, 'p.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    return (error as PolicyValidationError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  return [];
}

describe('severity order', () => {
  // Table-driven from the documented mapping: each line is one rank, highest first, and its decision severity.
  const RANKS: [RuleSeverity[], 'info' | 'warning' | 'critical'][] = [
    [['critical', 'P0', 'SEV-1'], 'critical'],
    [['P1', 'SEV-2'], 'critical'],
    [['P2', 'SEV-3'], 'warning'],
    [['P3', 'warning'], 'warning'],
    [['info'], 'info'],
  ];

  it.each(RANKS)('ranks %j alike, as decision severity %s', (same, coarse) => {
    for (const severity of same) {
      expect(compareSeverity(severity, same[0]!)).toBe(0);
      expect(coarseSeverity(severity)).toBe(coarse);
    }
  });

  it('orders each rank above every rank below it', () => {
    RANKS.forEach(([higher], index) => {
      for (const [lower] of RANKS.slice(index + 1))
        expect(compareSeverity(higher[0]!, lower[0]!), `${higher[0]} > ${lower[0]}`).toBeGreaterThan(0);
    });
  });

  it('ranks every accepted severity, and the table covers them all', () => {
    expect(RANKS.flatMap(([same]) => same).sort()).toEqual([...RULE_SEVERITIES].sort());
    expect(RULE_SEVERITIES.map(severityRank).every(Number.isInteger)).toBe(true);
  });

  it('sorts a list of severities most severe first with compareSeverity', () => {
    const sorted = (['info', 'P2', 'SEV-1', 'warning', 'P1'] as RuleSeverity[]).sort((a, b) => compareSeverity(b, a));
    expect(sorted.map(coarseSeverity)).toEqual(['critical', 'critical', 'warning', 'warning', 'info']);
  });
});

describe('rule severities in a policy', () => {
  it.each(RULE_SEVERITIES)('keeps %s as written in the normalized policy', (severity) => {
    const [policy] = parsePolicyText(
      policyWith(rule('r', `severity: "${severity}", action: { scaleBy: "+1" }`)),
      'p.yaml',
    );
    expect(policy!.rules[0]!.severity).toBe(severity);
  });

  it('gives P0 and P1 different versions: the written severity is part of the policy', () => {
    const version = (severity: string) =>
      parsePolicyText(policyWith(rule('r', `severity: ${severity}, action: { scaleBy: "+1" }`)), 'p.yaml')[0]!.version;
    expect(version('P0')).not.toBe(version('P1'));
  });

  it.each(['p1', 'sev-1', 'SEV-4', 'P4', 'error'])('refuses %s, naming the field', (severity) => {
    expect(issuesOf(policyWith(rule('r', `severity: ${severity}, action: { scaleBy: "+1" }`)))).toEqual([
      expect.stringMatching(/^spec\.rules\.0\.severity: /),
    ]);
  });
});

describe('rules that notify', () => {
  const rulesOf = (rules: string) => parsePolicyText(policyWith(rules), 'p.yaml')[0]!.rules;

  it('notifies by default without an action, and not by default with one, unless it says notify: true', () => {
    const rules = rulesOf(
      rule('warn', 'severity: P2') +
        rule('scale', 'action: { scaleBy: "+1" }') +
        rule('page', 'action: { scaleBy: "+1" }, notify: true') +
        rule('quiet', 'action: { scaleBy: "+1" }, notify: false'),
    );
    expect(rules.map((r) => [r.name, r.notify ?? false, r.action?.kind ?? null])).toEqual([
      ['warn', true, null],
      ['scale', false, 'scaleBy'],
      ['page', true, 'scaleBy'],
      ['quiet', false, 'scaleBy'],
    ]);
  });

  it('leaves notify out of a rule that does not notify, so existing policies keep their version', () => {
    expect(rulesOf(rule('scale', 'action: { scaleBy: "+1" }'))[0]).not.toHaveProperty('notify');
  });

  it('refuses a rule without an action that says notify: false: it would do nothing', () => {
    expect(issuesOf(policyWith(rule('idle', 'notify: false')))).toEqual([
      expect.stringMatching(/^spec\.rules\.0\.notify: .*doing nothing$/),
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { evaluateGuardrails } from './guardrails.policy';
import { TargetCatalog } from './target-catalog';
import { targetsFileSchema } from './targets-file.schema';
import { aDecision } from './testing';

const catalog = new TargetCatalog(
  targetsFileSchema.parse({
    namespaces: ['shop'],
    targets: [
      { id: 'shop/web', kind: 'Deployment', bounds: { min: 1, max: 10 } },
      { id: 'shop/db', kind: 'StatefulSet', bounds: { replicas: { min: 1, max: 3 } }, onOutOfBounds: 'reject' },
      { id: 'shop/frozen', kind: 'Deployment', bounds: { min: 1, max: 3 }, allowed: false },
      { id: 'billing/api', kind: 'Deployment', bounds: { min: 1, max: 3 } },
    ],
  }),
);
const open = { paused: false, dryRun: false };

describe('evaluateGuardrails', () => {
  it.each([
    ['paused', aDecision(), { paused: true, dryRun: false }, 'executor is paused'],
    [
      'unknown target',
      aDecision({ target: { kind: 'Deployment', id: 'shop/ghost' } }),
      open,
      'unknown target shop/ghost',
    ],
    [
      'kind mismatch',
      aDecision({ target: { kind: 'StatefulSet', id: 'shop/web' } }),
      open,
      'target shop/web is a Deployment, not a StatefulSet',
    ],
    [
      'namespace outside allowlist',
      aDecision({ target: { kind: 'Deployment', id: 'billing/api' } }),
      open,
      'namespace of billing/api is not in the allowlist',
    ],
    [
      'disallowed target',
      aDecision({ target: { kind: 'Deployment', id: 'shop/frozen' } }),
      open,
      'target shop/frozen is not allowed',
    ],
    [
      'setting without bounds',
      aDecision({ target: { kind: 'StatefulSet', id: 'shop/db' }, setting: 'cpu' }),
      open,
      'setting cpu has no bounds for shop/db',
    ],
    [
      'reject mode',
      aDecision({ target: { kind: 'StatefulSet', id: 'shop/db' }, to: 9 }),
      open,
      'value 9 is outside the hard bounds [1, 3]',
    ],
  ])('rejects: %s', (_name, decision, state, reason) => {
    const verdict = evaluateGuardrails(decision, catalog, state);
    expect(verdict.verdict).toBe('rejected');
    expect(verdict.verdict === 'rejected' && verdict.reason).toBe(reason);
  });

  it('clamps a huge value to the max and says so', () => {
    const verdict = evaluateGuardrails(aDecision({ to: 5000 }), catalog, open);
    expect(verdict).toMatchObject({ verdict: 'proceed', value: 10, note: 'clamped from 5000 to 10 by bounds [1, 10]' });
  });

  it('clamps a negative value to the min', () => {
    expect(evaluateGuardrails(aDecision({ to: -3 }), catalog, open)).toMatchObject({ verdict: 'proceed', value: 1 });
  });

  it('reports a dry run with the value that would have been applied', () => {
    expect(evaluateGuardrails(aDecision({ to: 50, dryRun: true }), catalog, open)).toMatchObject({
      verdict: 'dry-run',
      value: 10,
    });
    expect(evaluateGuardrails(aDecision({ to: 5 }), catalog, { paused: false, dryRun: true })).toMatchObject({
      verdict: 'dry-run',
      value: 5,
    });
  });

  it('lets an in-bounds decision through unchanged', () => {
    expect(evaluateGuardrails(aDecision({ to: 4 }), catalog, open)).toMatchObject({
      verdict: 'proceed',
      value: 4,
      note: null,
    });
  });
});

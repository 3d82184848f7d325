import type { ScaleDecision } from '@surge/contracts';

/** A valid decision for specs, with any field overridden. */
export function aDecision(overrides: Partial<ScaleDecision> = {}): ScaleDecision {
  return {
    schemaVersion: 1,
    decisionId: 'decision-0001',
    target: { kind: 'Deployment', id: 'shop/web' },
    setting: 'replicas',
    from: 2,
    to: 4,
    direction: 'up',
    severity: 'warning',
    dryRun: false,
    policy: 'web-cpu',
    policyVersion: '1',
    eventTime: 1_000_000,
    explanation: {
      summary: 'cpu high',
      trigger: { kind: 'metric', name: 'cpu' },
      metrics: [],
      rules: [],
      constraints: [],
      final: 4,
      winner: 'cpu',
    },
    ...overrides,
  };
}

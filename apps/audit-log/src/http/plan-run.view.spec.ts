import { describe, expect, it } from 'vitest';
import type { AuditEventView } from '../events/audit-row';
import { planRunView } from './plan-run.view';

const plan = { runId: 'p-0123456789', policyTarget: 'demo/shop', rule: 'overloaded' };
const verification = {
  status: 'failed',
  expr: 'error_rate < 0.02',
  checkedAt: 1_000,
  before: {},
  after: { error_rate: 0.3 },
};
const event = (type: string, decisionId: string | null, payload: object, status = 'decided'): AuditEventView => ({
  id: `${type}-${decisionId}-${status}`,
  type,
  time: '2026-12-04T04:00:00.000Z',
  target: { id: 'demo/shop', kind: 'LocalPool' },
  decisionId,
  status,
  policy: 'demo-shop',
  source: { topic: 't', partition: 0, offset: '0' },
  payload,
});

describe('planRunView', () => {
  it('shows the verdict and the alerts of the run beside its steps, an alert never as a step', () => {
    const view = planRunView(plan.runId, [
      event('decision', 'd0', { plan: { ...plan, step: 0, phase: 'apply' } }),
      event('action', 'd0', { plan: { ...plan, step: 0, phase: 'apply' } }, 'applied'),
      event('alert', null, { plan: { ...plan, verification } }, 'firing'),
      event('decision', 'd1', { plan: { ...plan, step: 0, phase: 'revert', verification } }),
    ]);
    expect(view.steps.map((s) => [s.step, s.phase, s.status])).toEqual([
      [0, 'apply', 'applied'],
      [0, 'revert', null],
    ]);
    expect(view.verification).toEqual(verification);
    expect(view.alerts.map((a) => a.status)).toEqual(['firing']);
  });

  it('has no verdict while none was judged', () => {
    const view = planRunView(plan.runId, [event('decision', 'd0', { plan: { ...plan, step: 0, phase: 'apply' } })]);
    expect(view).toMatchObject({ verification: null, alerts: [], rule: 'overloaded', policyTarget: 'demo/shop' });
  });
});

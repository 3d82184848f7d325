import { describe, expect, it } from 'vitest';
import type { AuditEventView } from '../events/audit-row';
import { planRunView } from './plan-run.view';

const RUN = 'p-0123456789abcdef0123456789abcdef';
const view = (id: string, type: string, decisionId: string | null, payload: object): AuditEventView => ({
  id,
  type,
  time: '2026-12-04T04:00:00.000Z',
  target: null,
  decisionId,
  status: type.startsWith('control.') ? type.slice(8) : 'decided',
  policy: null,
  source: { topic: 't', partition: 0, offset: id },
  payload,
});

describe('planRunView answers', () => {
  it('lists an operator’s answer to a step awaiting approval with who gave it, never as a step', () => {
    const approve = { type: 'approve', actor: 'otto', reason: 'launch', plan: { runId: RUN, step: 0 } };
    const decision = {
      plan: { runId: RUN, policyTarget: 'shop/api', rule: 'launch', step: 0, phase: 'apply', approvedBy: 'otto' },
    };
    const run = planRunView(RUN, [
      view('1', 'control.approve', null, approve),
      view('2', 'decision', 'd0', decision),
      view('3', 'control.reject', null, { type: 'reject', actor: 'vera', plan: { runId: RUN, step: 1 } }),
    ]);
    expect(run.answers).toEqual([
      { step: 0, answer: 'approve', actor: 'otto', reason: 'launch', time: '2026-12-04T04:00:00.000Z' },
      { step: 1, answer: 'reject', actor: 'vera', reason: null, time: '2026-12-04T04:00:00.000Z' },
    ]);
    expect(run.steps).toHaveLength(1);
    expect(run.policyTarget).toBe('shop/api');
  });
});

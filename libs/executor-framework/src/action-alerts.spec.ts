import {
  type ActionResult,
  alertEvent,
  type AlertEvent,
  type ScaleDecision,
  scaleDecision,
  type ScaleDecisionInput,
} from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { ActionAlerts } from './action-alerts';
import { MemoryOpenActionAlerts } from './action-alerts.store';
import { actionResultFor, type ResultFields } from './action-result.factory';

const T0 = Date.parse('2026-03-02T10:00:00Z');

function decision(overrides: Partial<ScaleDecisionInput> = {}): ScaleDecision {
  return scaleDecision.parse({
    schemaVersion: 1,
    decisionId: `decision-${Math.random().toString(36).slice(2)}`,
    target: { kind: 'Deployment', id: 'shop/web' },
    setting: 'replicas',
    from: 2,
    to: 6,
    direction: 'up',
    severity: 'critical',
    ruleSeverity: 'P1',
    dryRun: false,
    policy: 'shop-web',
    policyVersion: 'v1',
    eventTime: T0,
    explanation: { summary: 's', trigger: { kind: 'rule', name: 'queue-high' }, final: 6, winner: 'rule queue-high' },
    ...overrides,
  });
}

const resultOf = (d: ScaleDecision, fields: Omit<ResultFields, 'startedAt'>, at = T0 + 1000) =>
  actionResultFor(d, 'executor-k8s', { ...fields, startedAt: at }, at);

/** An executor's alerts over one store: `events(d, r)` answers what that result sent. */
function executorAlerts() {
  const sent: AlertEvent[] = [];
  const alerts = new ActionAlerts(new MemoryOpenActionAlerts(), async (alert) => void sent.push(alert));
  return async (d: ScaleDecision, r: ActionResult): Promise<AlertEvent[]> => {
    const before = sent.length;
    await alerts.onResult(d, r);
    return sent.slice(before);
  };
}

describe('ActionAlerts', () => {
  it('fires SurgeActionFailed for a failed result, labelled from the decision, with an id from the decision id', async () => {
    const failed = decision();
    const [alert] = await executorAlerts()(failed, resultOf(failed, { status: 'failed', error: 'api 500' }));
    expect(alertEvent.parse(alert)).toMatchObject({
      status: 'firing',
      source: 'action-failed',
      labels: {
        alertname: 'SurgeActionFailed',
        target: 'shop/web',
        policy: 'shop-web',
        rule: 'queue-high',
        severity: 'P1',
      },
      severityRank: 3,
      startsAt: T0 + 1000,
      endsAt: null,
    });
    expect(alert!.annotations.summary).toContain('api 500');
    const again = await executorAlerts()(failed, resultOf(failed, { status: 'failed', error: 'api 500' }));
    expect(again[0]!.alertId).toBe(alert!.alertId);
  });

  it('resolves it at the next applied result on the same target and setting, and not before', async () => {
    const alerts = executorAlerts();
    const failed = decision();
    const [firing] = await alerts(failed, resultOf(failed, { status: 'not-ready', error: 'pods not ready' }));
    const other = decision({ setting: 'maxSurge' });
    expect(await alerts(other, resultOf(other, { status: 'applied', before: 1, after: 2 }))).toEqual([]);
    // A later failure there is the same incident: the open alert is repeated, none opened beside it.
    const again = decision();
    expect(await alerts(again, resultOf(again, { status: 'rejected', error: 'outside bounds' }))).toEqual([firing]);
    const stale = decision();
    expect(await alerts(stale, resultOf(stale, { status: 'stale', error: 'old' }))).toEqual([]);

    const applied = decision();
    const [resolved] = await alerts(applied, resultOf(applied, { status: 'applied' }, T0 + 9000));
    expect(resolved).toMatchObject({
      status: 'resolved',
      alertId: firing!.alertId,
      startsAt: T0 + 1000,
      endsAt: T0 + 9000,
    });
    expect(await alerts(applied, resultOf(applied, { status: 'applied' }))).toEqual([]);
  });

  it('labels a decision no rule won with rule "-" and its coarse severity', async () => {
    const metric = decision({
      ruleSeverity: undefined,
      severity: 'warning',
      explanation: { summary: 's', trigger: { kind: 'metric', name: 'cpu' }, final: 6, winner: 'metric cpu' },
    });
    const [alert] = await executorAlerts()(metric, resultOf(metric, { status: 'failed', error: 'x' }));
    expect(alert!.labels).toMatchObject({ rule: '-', severity: 'warning' });
    expect(alert!.severityRank).toBe(1);
  });

  it('alerts a forged decision as critical without copying its claims, and never a plan step', async () => {
    const forged = decision({ severity: 'info', ruleSeverity: 'info', policy: 'made-up' });
    const refused = resultOf(forged, { status: 'rejected', reason: 'signature', error: 'bad signature' });
    const [alert] = await executorAlerts()(forged, refused);
    expect(alert!.labels).toMatchObject({ policy: '-', rule: '-', severity: 'critical' });
    const genuine = await executorAlerts()(forged, resultOf(forged, { status: 'rejected', error: 'bounds' }));
    expect(genuine[0]!.alertId).not.toBe(alert!.alertId);

    const step = decision({
      plan: { runId: 'run-00001', policyTarget: 'shop/web', rule: 'queue-high', step: 0, phase: 'apply' },
    });
    expect(await executorAlerts()(step, resultOf(step, { status: 'failed', error: 'x' }))).toEqual([]);
  });
});

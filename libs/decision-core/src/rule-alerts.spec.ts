import { alertEvent, type AlertEvent } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

const WARNING = {
  name: 'p1-degradation',
  when: { metric: 'error_rate', op: '>', value: 5, for: '2m' },
  severity: 'P1',
};

const policyOf = (rules: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
  testPolicy({ metrics: [], rules, minReplicas: 1, maxReplicas: 10, behavior: {}, ...extra });

/** Feeds one error_rate sample per step; returns every alert with the step's time, and the final state. */
function run(policy: ReturnType<typeof policyOf>, steps: [number, number][], options: { globalPause?: boolean } = {}) {
  let state: TargetState = emptyState(4);
  const alerts: AlertEvent[] = [];
  for (const [seconds, value] of steps) {
    const result = evaluate({
      policy,
      state,
      samples: [{ metric: 'error_rate', value, timestamp: at(seconds) }],
      globalPause: options.globalPause,
    });
    state = result.state;
    alerts.push(...result.alerts);
  }
  return { alerts, state };
}

// Holds from 0 s, fires at 120 s once `for: 2m` has held, keeps holding to 300 s, clears at 360 s.
const BREACH: [number, number][] = [
  [0, 9],
  [60, 9],
  [120, 9],
  [180, 9],
  [300, 9],
  [360, 1],
  [420, 1],
];

describe('alerts of notifying rules', () => {
  it('fires once when `for` has held and resolves once when the condition clears, under one id', () => {
    const { alerts, state } = run(policyOf([WARNING]), BREACH);
    expect(alerts.map((a) => [a.status, a.startsAt, a.endsAt, a.eventTime])).toEqual([
      ['firing', at(120), null, at(120)],
      ['resolved', at(120), at(360), at(360)],
    ]);
    expect(alerts[0]!.alertId).toBe(alerts[1]!.alertId);
    expect(state.rules['p1-degradation']).not.toHaveProperty('alertFiredAt');
  });

  it('labels the alert as Alertmanager wants it, with the severity as written and its rank', () => {
    const [firing] = run(policyOf([WARNING]), BREACH).alerts;
    expect(alertEvent.parse(firing)).toEqual(firing);
    expect(firing).toMatchObject({
      source: 'rule',
      labels: {
        alertname: 'p1-degradation',
        target: 'production/checkout-api',
        policy: 'checkout-api',
        rule: 'p1-degradation',
        severity: 'P1',
      },
      severityRank: 3,
      target: { kind: 'Deployment', id: 'production/checkout-api' },
    });
    expect(firing!.annotations.summary).toMatch(/^P1 p1-degradation on production\/checkout-api: held 120s/);
  });

  it('sends nothing for a rule that does not notify, and alerts for a scaling rule that says notify: true', () => {
    const scaling = { ...WARNING, action: { scaleBy: '+1' } };
    expect(run(policyOf([scaling]), BREACH).alerts).toEqual([]);
    const paging = run(policyOf([{ ...scaling, notify: true }]), BREACH).alerts;
    expect(paging.map((a) => a.status)).toEqual(['firing', 'resolved']);
    expect(paging[0]!.annotations.description).toMatch(/also asks for 5/);
  });

  it('gives the same ids when the same samples are replayed, and a new id to the next breach', () => {
    const first = run(policyOf([WARNING]), BREACH).alerts;
    expect(run(policyOf([WARNING]), BREACH).alerts).toEqual(first);
    const again = run(policyOf([WARNING]), [...BREACH, [480, 9], [600, 9]]).alerts;
    expect(again.map((a) => a.status)).toEqual(['firing', 'resolved', 'firing']);
    expect(again[2]!.alertId).not.toBe(first[0]!.alertId);
    expect(again[2]!.startsAt).toBe(at(600));
  });

  it('alerts while the policy is paused and while everything is globally paused: people must know', () => {
    expect(run(policyOf([WARNING], { paused: true }), BREACH).alerts.map((a) => a.status)).toEqual([
      'firing',
      'resolved',
    ]);
    expect(run(policyOf([WARNING]), BREACH, { globalPause: true }).alerts.map((a) => a.status)).toEqual([
      'firing',
      'resolved',
    ]);
  });

  it('resolves an alert fired before the rule was paused, since the breach is over for it', () => {
    const fired = run(policyOf([WARNING]), BREACH.slice(0, 3));
    const result = evaluate({
      policy: policyOf([{ ...WARNING, paused: true }]),
      state: fired.state,
      samples: [{ metric: 'error_rate', value: 9, timestamp: at(180) }],
    });
    expect(result.alerts).toEqual([
      expect.objectContaining({ status: 'resolved', alertId: fired.alerts[0]!.alertId, endsAt: at(180) }),
    ]);
    expect(result.alerts[0]!.annotations.description).toMatch(/paused/);
  });
});

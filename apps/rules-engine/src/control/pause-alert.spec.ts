import { alertEvent } from '@surge/contracts';
import { parsePolicyText } from '@surge/policy';
import { describe, expect, it } from 'vitest';
import { pauseAlert } from './pause-alert';

const policy = parsePolicyText(
  'apiVersion: surge.dev/v1\nkind: ScalingPolicy\nmetadata: { name: shop }\nspec:\n  target: { id: demo/shop, kind: LocalPool }\n  maxReplicas: 4\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 50 } }]\n',
  'shop.yaml',
)[0]!;

describe('pauseAlert', () => {
  it('names a global pause with * and a policy pause with its target, in a valid alert event', () => {
    const global = alertEvent.parse(pauseAlert({ since: 1000 }, undefined, 2000, null));
    expect(global).toMatchObject({
      status: 'firing',
      source: 'pause',
      labels: { alertname: 'SurgePaused', target: '*', policy: '*', rule: 'pause', severity: 'warning' },
      startsAt: 2000,
      endsAt: null,
    });
    const shop = alertEvent.parse(pauseAlert({ policy: 'shop', since: 1000 }, policy, 2000, null));
    expect(shop).toMatchObject({ labels: { target: 'demo/shop', policy: 'shop' }, target: policy.target });
  });

  it('gives a pause one id, shared by its firing and resolved events, and another pause another', () => {
    const firing = pauseAlert({ policy: 'shop', since: 1000 }, policy, 2000, null);
    const resolved = pauseAlert({ policy: 'shop', since: 1000 }, policy, 2000, 9000);
    expect(resolved).toMatchObject({ alertId: firing.alertId, status: 'resolved', endsAt: 9000, eventTime: 9000 });
    expect(pauseAlert({ policy: 'shop', since: 1001 }, policy, 2001, null).alertId).not.toBe(firing.alertId);
    expect(pauseAlert({ since: 1000 }, undefined, 2000, null).alertId).not.toBe(firing.alertId);
  });
});

import { describe, expect, it } from 'vitest';
import { firingAlert, resolvedAlert } from '../testing/alert-fixtures';
import { toPostableAlert } from './alertmanager-payload';

describe('toPostableAlert', () => {
  const firing = firingAlert('shop/web');

  it('carries the contract labels as written and RFC 3339 times', () => {
    const endsAt = Date.parse('2026-03-02T10:04:00Z');
    expect(toPostableAlert(firing, endsAt)).toEqual({
      labels: {
        alertname: 'SurgeRuleBreached',
        target: 'shop/web',
        policy: 'it-alerts',
        rule: 'error-warning',
        severity: 'SEV-3',
      },
      annotations: { summary: 'error_rate high on shop/web', description: 'error_rate > 5 for 2s' },
      startsAt: '2026-03-02T10:00:00.000Z',
      endsAt: '2026-03-02T10:04:00.000Z',
    });
  });

  it('gives firing and resolved the same label set, so Alertmanager resolves the alert it has', () => {
    const resolved = resolvedAlert(firing, Date.parse('2026-03-02T10:10:00Z'));
    expect(toPostableAlert(resolved, resolved.endsAt!).labels).toEqual(toPostableAlert(firing, 0).labels);
  });

  it('links to the console on the alert target when a console URL is set', () => {
    const alert = toPostableAlert(firing, 0, 'https://surge.example.com/console/');
    const link = new URL(alert.annotations['console']!);
    expect(link.origin + link.pathname).toBe('https://surge.example.com/console/');
    expect(link.searchParams.get('target')).toBe('shop/web');
    expect(link.searchParams.get('alert')).toBe(firing.alertId);
    expect(alert.generatorURL).toBe(alert.annotations['console']);
  });
});

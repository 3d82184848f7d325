import { describe, expect, it } from 'vitest';
import { firingAlert, resolvedAlert } from '../../testing/alert-fixtures';
import { pagerDutySeverity, toPagerDutyEvent } from './pagerduty-payload';

describe('toPagerDutyEvent', () => {
  const firing = firingAlert('shop/web');

  it('triggers with the alertId as dedup key and the payload PagerDuty requires', () => {
    expect(toPagerDutyEvent(firing, 'R0UT1NGKEY')).toEqual({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: firing.alertId,
      payload: {
        summary: 'error_rate high on shop/web',
        source: 'shop/web',
        severity: 'warning',
        timestamp: '2026-03-02T10:00:00.000Z',
        custom_details: {
          description: 'error_rate > 5 for 2s',
          alertname: 'SurgeRuleBreached',
          policy: 'it-alerts',
          rule: 'error-warning',
          severity: 'SEV-3',
          policyVersion: 'v1',
          source: 'rule',
        },
      },
    });
  });

  it('resolves the same dedup key', () => {
    const resolved = resolvedAlert(firing, Date.parse('2026-03-02T10:10:00Z'));
    expect(toPagerDutyEvent(resolved, 'R0UT1NGKEY')).toEqual({
      routing_key: 'R0UT1NGKEY',
      event_action: 'resolve',
      dedup_key: firing.alertId,
    });
  });

  it('maps the rank onto PagerDuty four levels', () => {
    expect([4, 3, 2, 1, 0].map(pagerDutySeverity)).toEqual(['critical', 'error', 'warning', 'warning', 'info']);
  });

  it('links to the console when a console URL is set', () => {
    const event = toPagerDutyEvent(firing, 'R0UT1NGKEY', 'https://surge.example.com/');
    expect(event.links?.[0]?.href).toContain('target=shop%2Fweb');
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isConfigurationError } from '@surge/config';
import { describe, expect, it } from 'vitest';
import { loadNotifierConfig } from '../config/notifier.config';
import { loadReceivers } from './load-receivers';

const dir = mkdtempSync(path.join(tmpdir(), 'surge-receivers-'));
function file(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}
const env = { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6379' };
const configWith = (extra: Record<string, string>) => loadNotifierConfig({ ...env, ...extra });

describe('loadReceivers', () => {
  const hmac = file('hmac', 'f3a1c9e07b2d48a6915e0c7d3b8a2f41\n');
  const routing = file('routing', 'R0UT1NGKEY0123456789abcdef012345');
  const slack = file('slack', 'T000/B000/abcdefghijklmnop');

  it('takes ALERTMANAGER_URL as the one alertmanager receiver of the simple case', () => {
    expect(loadReceivers(configWith({ ALERTMANAGER_URL: 'http://am:9093' }))).toEqual([
      { name: 'alertmanager', type: 'alertmanager', url: 'http://am:9093', match: {} },
    ]);
  });

  it('reads each receiver of the file with its secret, next to ALERTMANAGER_URL', () => {
    const receivers = file(
      'ok.yaml',
      [
        'receivers:',
        '  - { name: chat, type: slack, url: "https://hooks.slack.com/services/", secretFile: ' + slack + ' }',
        '  - name: pager',
        '    type: pagerduty',
        '    url: https://events.pagerduty.com',
        '    secretFile: ' + routing,
        '    match: { severityAtLeast: P1, policy: shop }',
        '  - { name: hook, type: webhook, url: "https://hooks.example.com/surge", secretFile: ' + hmac + ' }',
      ].join('\n'),
    );
    const loaded = loadReceivers(
      configWith({ ALERTMANAGER_URL: 'http://am:9093', SURGE_NOTIFIER_RECEIVERS_FILE: receivers }),
    );
    expect(loaded.map((r) => [r.name, r.type, r.secret])).toEqual([
      ['alertmanager', 'alertmanager', undefined],
      ['chat', 'slack', 'T000/B000/abcdefghijklmnop'],
      ['pager', 'pagerduty', 'R0UT1NGKEY0123456789abcdef012345'],
      ['hook', 'webhook', 'f3a1c9e07b2d48a6915e0c7d3b8a2f41'],
    ]);
    expect(loaded[2]!.match).toEqual({ severityAtLeast: 'P1', policy: 'shop' });
  });

  it('names every bad field of the file', () => {
    const receivers = file(
      'bad.yaml',
      [
        'receivers:',
        '  - { name: Chat, type: slack, url: "not a url", secretFile: ' + slack + ' }',
        '  - { name: pager, type: pagerduty, url: "https://events.pagerduty.com" }',
        '  - { name: am, type: sms, url: "https://sms.example.com" }',
        '  - { name: hook, type: webhook, url: "https://h.example.com", secretFile: ' +
          hmac +
          ', match: { severityAtLeast: SEV-9 } }',
      ].join('\n'),
    );
    const error = (() => {
      try {
        loadReceivers(configWith({ SURGE_NOTIFIER_RECEIVERS_FILE: receivers }));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(isConfigurationError(error)).toBe(true);
    expect(error?.message).toContain('receivers.0.name');
    expect(error?.message).toContain('receivers.0.url');
    expect(error?.message).toContain('receivers.1.secretFile');
    expect(error?.message).toContain('receivers.2.type');
    expect(error?.message).toContain('receivers.3.match.severityAtLeast');
  });

  it('refuses empty, placeholder, unreadable and short secrets', () => {
    const receivers = file(
      'secrets.yaml',
      [
        'receivers:',
        `  - { name: a, type: slack, url: "https://hooks.slack.com/services/", secretFile: ${file('empty', ' \n')} }`,
        `  - { name: b, type: pagerduty, url: "https://events.pagerduty.com", secretFile: ${file('ph', 'changeme\n')} }`,
        `  - { name: c, type: webhook, url: "https://h.example.com", secretFile: ${path.join(dir, 'missing')} }`,
        `  - { name: d, type: webhook, url: "https://h.example.com", secretFile: ${file('short', 'abc123')} }`,
      ].join('\n'),
    );
    expect(() => loadReceivers(configWith({ SURGE_NOTIFIER_RECEIVERS_FILE: receivers }))).toThrow(
      /receivers\.0\.secretFile: .*empty or placeholder.*receivers\.1\.secretFile: .*empty or placeholder.*receivers\.2\.secretFile: cannot read.*receivers\.3\.secretFile: the HMAC key is shorter/,
    );
  });

  it('refuses no receiver at all, and two of one name', () => {
    expect(() => loadReceivers(configWith({}))).toThrow(/ALERTMANAGER_URL, SURGE_NOTIFIER_RECEIVERS_FILE or both/);
    const twice = file(
      'twice.yaml',
      'receivers:\n  - { name: alertmanager, type: alertmanager, url: "http://am2:9093" }\n',
    );
    expect(() =>
      loadReceivers(configWith({ ALERTMANAGER_URL: 'http://am:9093', SURGE_NOTIFIER_RECEIVERS_FILE: twice })),
    ).toThrow(/receiver "alertmanager" is named twice/);
  });
});

import { describe, expect, it } from 'vitest';
import { firingAlert, resolvedAlert } from '../../testing/alert-fixtures';
import { toSlackMessage } from './slack-payload';

describe('toSlackMessage', () => {
  const firing = firingAlert('shop/web');

  it('states the severity and summary, with a link to the console', () => {
    const message = toSlackMessage(firing, 'https://surge.example.com/console/');
    expect(message.text).toBe('[SEV-3] error_rate high on shop/web');
    const block = message.blocks![0]!.text.text;
    expect(block).toContain('severity SEV-3');
    expect(block).toContain('target `shop/web`');
    expect(block).toMatch(
      /<https:\/\/surge\.example\.com\/console\/\?target=shop%2Fweb&alert=[^|]+\|Open in the Surge console>/,
    );
  });

  it('sends a resolve as a "resolved:" message', () => {
    const message = toSlackMessage(resolvedAlert(firing, Date.parse('2026-03-02T10:10:00Z')));
    expect(message.text).toBe('resolved: error_rate high on shop/web');
    expect(message.blocks![0]!.text.text).not.toContain('console');
  });

  it('escapes what Slack would read as markup', () => {
    const alert = firingAlert('shop/web', { annotations: { summary: 'p99 > 2s & <rising>', description: '' } });
    expect(toSlackMessage(alert).blocks![0]!.text.text).toContain('p99 &gt; 2s &amp; &lt;rising&gt;');
  });
});

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signature', () => {
  const key = 'a-key-of-32-characters-0123456789';
  const body = '{"alertId":"alert-1"}';

  it('is the hex HMAC-SHA256 of "timestamp.body"', () => {
    const expected = createHmac('sha256', key).update(`1767225600.${body}`).digest('hex');
    expect(signWebhook(key, 1767225600, body)).toBe(`sha256=${expected}`);
  });

  it('verifies a fresh signature and refuses a changed body, another key or a replay', () => {
    const signature = signWebhook(key, 1000, body);
    expect(verifyWebhook(key, { signature, timestamp: '1000' }, body, 1010)).toBe(true);
    expect(verifyWebhook(key, { signature, timestamp: '1000' }, `${body} `, 1010)).toBe(false);
    expect(verifyWebhook('another-key-of-enough-length', { signature, timestamp: '1000' }, body, 1010)).toBe(false);
    expect(verifyWebhook(key, { signature, timestamp: '1000' }, body, 1000 + 301)).toBe(false);
    // The timestamp is signed: moving it forward to pass the freshness check breaks the signature.
    expect(verifyWebhook(key, { signature, timestamp: '1300' }, body, 1310)).toBe(false);
  });
});

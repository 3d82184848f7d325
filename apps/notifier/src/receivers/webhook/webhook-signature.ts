import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Surge-Signature';
export const TIMESTAMP_HEADER = 'X-Surge-Timestamp';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. The timestamp is signed with the body so that a captured
 * request replayed later fails the receiver's freshness check instead of passing as new.
 */
export function signWebhook(key: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', key).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (the README shows the same in a few lines): recompute the signature over the raw body,
 * compare in constant time, and refuse a timestamp further than `toleranceSeconds` from its clock.
 */
export function verifyWebhook(
  key: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(key, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

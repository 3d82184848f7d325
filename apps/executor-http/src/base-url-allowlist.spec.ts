import { describe, expect, it } from 'vitest';
import { isAllowed, parseAllowlist, urlOf } from './base-url-allowlist';

describe('base URL allowlist', () => {
  const allowlist = parseAllowlist('http://127.0.0.1:8070, https://shop.internal/ops/');

  it('allows the same origin at or under the allowed path', () => {
    expect(isAllowed('http://127.0.0.1:8070', allowlist)).toBe(true);
    expect(isAllowed('http://127.0.0.1:8070/', allowlist)).toBe(true);
    expect(isAllowed('https://shop.internal/ops', allowlist)).toBe(true);
    expect(isAllowed('https://shop.internal/ops/v2', allowlist)).toBe(true);
  });

  it('refuses another port, scheme, host or a path beside the allowed one', () => {
    expect(isAllowed('http://127.0.0.1:8071', allowlist)).toBe(false);
    expect(isAllowed('https://127.0.0.1:8070', allowlist)).toBe(false);
    expect(isAllowed('http://localhost:8070', allowlist)).toBe(false);
    expect(isAllowed('https://shop.internal/operations', allowlist)).toBe(false);
    expect(isAllowed('https://shop.internal/', allowlist)).toBe(false);
  });

  it('refuses an allowlist entry with credentials, a query or another scheme', () => {
    expect(() => parseAllowlist('http://user:pw@127.0.0.1')).toThrow(/holds credentials/);
    expect(() => parseAllowlist('http://127.0.0.1/?a=1')).toThrow(/query or fragment/);
    expect(() => parseAllowlist('ftp://127.0.0.1')).toThrow(/not http/);
    expect(() => parseAllowlist(' , ')).toThrow(/no base URL/);
  });

  it('joins a setting path under the base path', () => {
    expect(urlOf('https://shop.internal/ops/', '/admin/degradation')).toBe(
      'https://shop.internal/ops/admin/degradation',
    );
  });
});

import { cameOverHttps } from '@surge/service-kit';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { originAllowed } from './request-origin';

const request = (headers: Record<string, string>, encrypted = false) =>
  ({ headers, raw: { socket: { encrypted } } }) as unknown as FastifyRequest;

describe('console request origin', () => {
  it('believes X-Forwarded-Proto only when the proxy is trusted', () => {
    const forwarded = request({ 'x-forwarded-proto': 'https' });
    expect(cameOverHttps(forwarded, false)).toBe(false);
    expect(cameOverHttps(forwarded, true)).toBe(true);
    expect(cameOverHttps(request({}, true), false)).toBe(true);
  });

  it("accepts the console's own origin, from Origin or Referer, and nothing else", () => {
    const host = { host: 'console.example:8080' };
    expect(originAllowed(request({ ...host, origin: 'http://console.example:8080' }), [], false)).toBe(true);
    expect(originAllowed(request({ ...host, referer: 'http://console.example:8080/x?y' }), [], false)).toBe(true);
    expect(originAllowed(request({ ...host, origin: 'http://evil.example' }), [], false)).toBe(false);
    expect(originAllowed(request({ ...host, origin: 'null' }), [], false)).toBe(false);
    expect(originAllowed(request(host), [], false)).toBe(false);
  });

  it('takes the configured origins instead of its own when there are some', () => {
    const allowed = ['https://ops.example'];
    expect(originAllowed(request({ host: 'internal:8080', origin: 'https://ops.example' }), allowed, false)).toBe(true);
    expect(originAllowed(request({ host: 'internal:8080', origin: 'http://internal:8080' }), allowed, false)).toBe(
      false,
    );
  });
});

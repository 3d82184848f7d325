import type { FastifyRequest } from 'fastify';
import { cameOverHttps } from '@surge/service-kit';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
};

/** The origin the browser says the request came from: Origin, else the origin of Referer. */
export function claimedOrigin(request: FastifyRequest): string | undefined {
  const origin = header(request, 'origin');
  if (origin && origin !== 'null') return origin;
  const referer = header(request, 'referer');
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/** The console's own origin as this request reached it (through the proxy, when the proxy is trusted). */
export function ownOrigin(request: FastifyRequest, trustProxy: boolean): string | undefined {
  const host = (trustProxy && header(request, 'x-forwarded-host')) || header(request, 'host');
  return host ? `${cameOverHttps(request, trustProxy) ? 'https' : 'http'}://${host}` : undefined;
}

/** True when the request came from one of the allowed origins (the console's own when none is configured). */
export function originAllowed(request: FastifyRequest, allowed: readonly string[], trustProxy: boolean): boolean {
  const origin = claimedOrigin(request);
  if (!origin) return false;
  return allowed.length ? allowed.includes(origin) : origin === ownOrigin(request, trustProxy);
}

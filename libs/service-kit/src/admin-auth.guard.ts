import { createHmac, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export const ADMIN_TOKEN = Symbol('SURGE_ADMIN_TOKEN');
export const SESSION_COOKIE = 'surge_session';

/** The session cookie's value: derived from the admin token, so rotating the token ends every session. */
export function sessionCookieValue(adminToken: string): string {
  return createHmac('sha256', adminToken).update('surge-console-session-v1').digest('base64url');
}

/** Compares in constant time so the token cannot be recovered byte by byte from response timings. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Guards every admin and control endpoint of Surge with the one SURGE_ADMIN_TOKEN: as a Bearer token, or as
 * the console's HttpOnly session cookie, since a browser's EventSource cannot send headers.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(@Inject(ADMIN_TOKEN) private readonly adminToken: string) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ') && tokensMatch(header.slice(7).trim(), this.adminToken)) return true;
    const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (session && tokensMatch(session, sessionCookieValue(this.adminToken))) return true;
    throw new UnauthorizedException(
      header ? 'invalid admin token' : 'missing Authorization: Bearer <SURGE_ADMIN_TOKEN>',
    );
  }
}

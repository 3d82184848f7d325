import { timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { hasValidSession } from './session-cookie';

export const ADMIN_TOKEN = Symbol('SURGE_ADMIN_TOKEN');

/** Compares in constant time so the token cannot be recovered byte by byte from response timings. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Guards every admin and control endpoint of Surge with the one SURGE_ADMIN_TOKEN: as a Bearer token, or as
 * the console's signed HttpOnly session cookie, since a browser's EventSource cannot send headers.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(@Inject(ADMIN_TOKEN) private readonly adminToken: string) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ') && tokensMatch(header.slice(7).trim(), this.adminToken)) return true;
    if (hasValidSession(request)) return true;
    throw new UnauthorizedException(
      header ? 'invalid admin token' : 'missing Authorization: Bearer <SURGE_ADMIN_TOKEN>',
    );
  }
}

import { randomBytes } from 'node:crypto';
import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import {
  ConsoleSessions,
  type Operator,
  OPERATORS,
  type OperatorRegistry,
  type SessionAuthenticator,
  sessionCookieOf,
  cameOverHttps,
  tokensMatch,
} from '@surge/service-kit';
import type { FastifyRequest } from 'fastify';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';
import { ConsoleSessionRepository } from './console-session.repository';
import { originAllowed } from './request-origin';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface OpenedSession {
  sessionId: string;
  csrfToken: string;
}

/**
 * The console's sessions: a random 256-bit id in the cookie, looked up server-side, and, for every change made
 * with the cookie, the same-origin and CSRF-token checks a cookie needs (the browser attaches it to any request
 * to this site, a bearer token it never sends on its own). Registering here is what makes this process, and only
 * this one, accept the cookie.
 */
@Injectable()
export class ConsoleSessionAuthenticator implements SessionAuthenticator {
  constructor(
    private readonly sessions: ConsoleSessionRepository,
    @Inject(OPERATORS) private readonly operators: OperatorRegistry,
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
    registry: ConsoleSessions,
  ) {
    registry.register(this);
  }

  /** 403 unless the request comes from the console's origin; for sign-in too, so no other site can sign a browser in. */
  assertSameOrigin(request: FastifyRequest): void {
    if (!originAllowed(request, this.config.SURGE_CONSOLE_ORIGINS, this.config.SURGE_TRUST_PROXY))
      throw new ForbiddenException('cross-origin request refused: Origin is not the console’s');
  }

  async open(tokenSha256: Buffer): Promise<OpenedSession> {
    const opened = {
      sessionId: randomBytes(32).toString('base64url'),
      csrfToken: randomBytes(32).toString('base64url'),
    };
    await this.sessions.create(opened.sessionId, tokenSha256, opened.csrfToken);
    return opened;
  }

  async authenticate(request: FastifyRequest): Promise<Operator | null> {
    return (await this.resolve(request))?.operator ?? null;
  }

  /** The session's operator and CSRF token, or null when there is no live session behind the cookie. */
  async resolve(request: FastifyRequest): Promise<{ operator: Operator; csrfToken: string } | null> {
    const sessionId = sessionCookieOf(request);
    if (!sessionId) return null;
    const changes = !SAFE_METHODS.has(request.method);
    if (changes) this.assertSameOrigin(request);
    const session = await this.sessions.touch(sessionId);
    if (!session) return null;
    const operator = this.operators.byTokenHash(session.tokenSha256);
    if (!operator) return null;
    if (changes) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !tokensMatch(sent, session.csrfToken))
        throw new ForbiddenException(`missing or wrong ${CSRF_HEADER} header`);
    }
    return { operator, csrfToken: session.csrfToken };
  }

  async revoke(request: FastifyRequest): Promise<void> {
    const sessionId = sessionCookieOf(request);
    if (sessionId) await this.sessions.delete(sessionId);
  }

  secureCookie(request: FastifyRequest): boolean {
    return this.config.SURGE_SESSION_SECURE_COOKIE || cameOverHttps(request, this.config.SURGE_TRUST_PROXY);
  }
}

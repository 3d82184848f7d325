import { createHmac } from 'node:crypto';
import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'surge_session';

// A browser's EventSource cannot send an Authorization header, so the console trades the token for a cookie once.
const SESSION_MAX_AGE_S = 12 * 3600;

// The signature is the credential: the value only says what the cookie is for.
const SESSION_SUBJECT = 'console';

/** The cookie signing key: derived from the admin token, so rotating the token ends every session. */
export function sessionCookieSecret(adminToken: string): string {
  return createHmac('sha256', adminToken).update('surge-console-session-v1').digest('base64url');
}

/** Parses cookies on every request and signs them with a key of the admin token (apps without one get neither). */
export async function registerSessionCookies(app: NestFastifyApplication, adminToken: string): Promise<void> {
  if (!adminToken) return;
  await app.register(fastifyCookie, { secret: sessionCookieSecret(adminToken) });
}

const sessionAttributes = (secure: boolean): CookieSerializeOptions => ({
  path: '/',
  httpOnly: true,
  sameSite: 'strict',
  secure,
});

/** Opens a console session: a signed, HttpOnly, same-site cookie valid for 12 h. */
export function openSession(reply: FastifyReply, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, SESSION_SUBJECT, {
    ...sessionAttributes(secure),
    maxAge: SESSION_MAX_AGE_S,
    signed: true,
  });
}

/** Clears the session cookie with the same path and flags, so the browser drops that very cookie. */
export function closeSession(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, sessionAttributes(secure));
}

/** True when the request carries a session cookie signed with the current key. */
export function hasValidSession(request: FastifyRequest): boolean {
  const raw = request.cookies?.[SESSION_COOKIE];
  if (!raw || typeof request.unsignCookie !== 'function') return false;
  const { valid, value } = request.unsignCookie(raw);
  return valid && value === SESSION_SUBJECT;
}

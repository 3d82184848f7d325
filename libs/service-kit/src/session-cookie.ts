import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'surge_session';

/** Parses cookies; the value is a random session id the server looks up, so nothing needs signing. */
export async function registerSessionCookies(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyCookie);
}

const sessionAttributes = (secure: boolean): CookieSerializeOptions => ({
  path: '/',
  httpOnly: true,
  sameSite: 'strict',
  secure,
});

/**
 * Sets the console's session cookie. No Max-Age: the browser drops it when it closes, and the server's idle and
 * absolute expiry end it whatever the browser keeps.
 */
export function setSessionCookie(reply: FastifyReply, sessionId: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, sessionId, sessionAttributes(secure));
}

/** Clears the session cookie with the same path and flags, so the browser drops that very cookie. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, sessionAttributes(secure));
}

export function sessionCookieOf(request: FastifyRequest): string | undefined {
  return request.cookies?.[SESSION_COOKIE] || undefined;
}

/**
 * True when the request reached Surge over HTTPS: its own TLS socket, or, only when the proxy in front is trusted,
 * the proxy's `X-Forwarded-Proto` (anyone can send that header to a service that is reached directly).
 */
export function cameOverHttps(request: FastifyRequest, trustProxy: boolean): boolean {
  if ((request.raw.socket as { encrypted?: boolean }).encrypted) return true;
  if (!trustProxy) return false;
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first === 'https';
}

import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tokensMatch } from '@surge/service-kit';

export const VISITOR_COOKIE = 'surge_vq_visitor';
const COOKIE_MAX_AGE_SECONDS = 7 * 86_400;
// A MAC domain no room name can start with, so a ticket id's MAC is never a valid cookie MAC.
const COOKIE_MAC_PREFIX = 'Visitor-cookie\0';

/** 128 random bits: the server's choice, so nobody can name, or guess, another visitor. */
export function newVisitorId(): string {
  return randomBytes(16).toString('base64url');
}

export type Mac = (message: string) => string;

export function visitorCookieValue(visitorId: string, mac: Mac): string {
  return `${visitorId}.${mac(COOKIE_MAC_PREFIX + visitorId)}`;
}

/** The visitor id of a genuine cookie value, else null (absent, forged, or signed by another deployment). */
export function visitorOfCookie(value: string | undefined, mac: Mac): string | null {
  if (!value) return null;
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return null;
  const visitorId = value.slice(0, dot);
  return tokensMatch(value.slice(dot + 1), mac(COOKIE_MAC_PREFIX + visitorId)) ? visitorId : null;
}

export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name)
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        // Not percent-encoded as this service writes it: no identity, as with a forged value.
        return undefined;
      }
  }
  return undefined;
}

export function bearerOf(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * HttpOnly: the page's script never sees it, so an injected script cannot carry it off. SameSite=Lax: it is the
 * queue's own cookie, sent on the page's same-origin calls and on a top-level return to the room; the shop never
 * needs it (the admission token travels in the redirect). Secure whenever the visitor came over HTTPS.
 */
export function setVisitorCookie(reply: FastifyReply, request: FastifyRequest, value: string): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  void reply.header(
    'set-cookie',
    `${VISITOR_COOKIE}=${encodeURIComponent(value)}; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure}`,
  );
}

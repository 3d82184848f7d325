import { z } from 'zod';

export const TOKEN_ISSUER = 'surge-virtual-queue';

/** The audience of tokens of rooms without a redirectUrl, unless VQ_TOKEN_AUDIENCE names the protected origin. */
export const DEFAULT_TOKEN_AUDIENCE = 'urn:surge:protected-origin';

/**
 * What an admission token asserts: this visitor holds this ticket's active session in this room, for the protected
 * origin `aud`, until `exp`. `jti` names the admission, so a redemption spends every token issued for it.
 */
export const admissionClaimsSchema = z.object({
  iss: z.literal(TOKEN_ISSUER),
  aud: z.string().min(1),
  jti: z.string().min(1),
  room: z.string().min(1),
  visitor: z.string().min(1),
  ticket: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AdmissionClaims = z.output<typeof admissionClaimsSchema>;

export const TOKEN_REJECTIONS = [
  'malformed',
  'bad_signature',
  'expired',
  'wrong_room',
  'wrong_audience',
  'bad_claims',
  'already_redeemed',
  'session_ended',
] as const;
export type TokenRejection = (typeof TOKEN_REJECTIONS)[number];

export type TokenVerdict =
  { valid: true; claims: AdmissionClaims } | { valid: false; reason: TokenRejection; message: string };

/**
 * Short-lived: the token expires `ttlSeconds` after issue, never after the session's end (floored to seconds), so a
 * token copied out of a redirect URL is soon worthless.
 */
export function admissionClaims(input: {
  audience: string;
  jti: string;
  ttlSeconds: number;
  room: string;
  visitor: string;
  ticket: string;
  nowMs: number;
  sessionEndsAtMs: number;
}): AdmissionClaims {
  return {
    iss: TOKEN_ISSUER,
    aud: input.audience,
    jti: input.jti,
    room: input.room,
    visitor: input.visitor,
    ticket: input.ticket,
    iat: Math.floor(input.nowMs / 1000),
    exp: Math.floor(Math.min(input.sessionEndsAtMs, input.nowMs + input.ttlSeconds * 1000) / 1000),
  };
}

/** Room and audience are required: a token is good only where, and for what, it was issued. */
export function checkClaims(
  payload: unknown,
  expectedRoom: string,
  expectedAudience: string,
  nowMs: number,
): TokenVerdict {
  const parsed = admissionClaimsSchema.safeParse(payload);
  if (!parsed.success)
    return {
      valid: false,
      reason: 'bad_claims',
      message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  const claims = parsed.data;
  if (claims.exp * 1000 <= nowMs)
    return {
      valid: false,
      reason: 'expired',
      message: `token expired at ${new Date(claims.exp * 1000).toISOString()}`,
    };
  if (claims.room !== expectedRoom)
    return { valid: false, reason: 'wrong_room', message: `token is for room "${claims.room}", not "${expectedRoom}"` };
  if (claims.aud !== expectedAudience)
    return {
      valid: false,
      reason: 'wrong_audience',
      message: `token is for "${claims.aud}", not "${expectedAudience}"`,
    };
  return { valid: true, claims };
}

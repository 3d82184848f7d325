import { z } from 'zod';

export const TOKEN_ISSUER = 'surge-virtual-queue';

/** What an admission token asserts: this visitor holds this ticket's active session in this room until `exp`. */
export const admissionClaimsSchema = z.object({
  iss: z.literal(TOKEN_ISSUER),
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
  'bad_claims',
  'session_ended',
] as const;
export type TokenRejection = (typeof TOKEN_REJECTIONS)[number];

export type TokenVerdict =
  { valid: true; claims: AdmissionClaims } | { valid: false; reason: TokenRejection; message: string };

/** The token may never outlive the session: its expiry is the session's end, floored to whole seconds. */
export function admissionClaims(input: {
  room: string;
  visitor: string;
  ticket: string;
  nowMs: number;
  sessionEndsAtMs: number;
}): AdmissionClaims {
  return {
    iss: TOKEN_ISSUER,
    room: input.room,
    visitor: input.visitor,
    ticket: input.ticket,
    iat: Math.floor(input.nowMs / 1000),
    exp: Math.floor(input.sessionEndsAtMs / 1000),
  };
}

export function checkClaims(payload: unknown, expectedRoom: string | undefined, nowMs: number): TokenVerdict {
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
  if (expectedRoom !== undefined && claims.room !== expectedRoom)
    return { valid: false, reason: 'wrong_room', message: `token is for room "${claims.room}", not "${expectedRoom}"` };
  return { valid: true, claims };
}

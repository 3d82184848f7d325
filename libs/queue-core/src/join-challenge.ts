import { z } from 'zod';

/**
 * The join gate: an optional proof of work on join, so a bot pays CPU for every place it takes. The server signs
 * a challenge and keeps nothing per client until a join spends it; the client finds a counter such that
 * SHA-256(challenge || counter) starts with `difficulty` zero bits (counter in decimal ASCII).
 */
// 2^16 tries on average. Measured on one core of the shared, heavily loaded 2-core build machine: headless
// Chromium's worker solved it in 0.18 s median in the browser test and 0.45 s in bench:queue (BENCHMARKS.md);
// 15 bits halves the bot's cost, 17 puts a slow phone's tail past several seconds.
export const DEFAULT_JOIN_CHALLENGE_DIFFICULTY = 16;
export const JOIN_CHALLENGE_TTL_MS = 120_000;
export const JOIN_CHALLENGE_ALGORITHM = 'sha256-leading-zero-bits';
// A MAC domain of its own, so no cookie or ticket MAC is ever a valid challenge MAC.
const CHALLENGE_MAC_PREFIX = 'Join-challenge\0';

export const joinChallengeSettingSchema = z
  .object({ difficulty: z.number().int().min(1).max(32).default(DEFAULT_JOIN_CHALLENGE_DIFFICULTY) })
  .strict();
export type JoinChallengeSetting = z.output<typeof joinChallengeSettingSchema>;

export interface JoinChallengeClaims {
  room: string;
  /** The visitor the challenge was issued to, or null for a visitor without an identity yet. */
  visitor: string | null;
  expiresAtMs: number;
  difficulty: number;
  /** Random: names the challenge when a join spends it. */
  nonce: string;
}

const claimsSchema = z
  .object({
    r: z.string().min(1),
    v: z.string().min(1).nullable(),
    e: z.number().int(),
    d: z.number().int().min(1).max(32),
    n: z.string().regex(/^[A-Za-z0-9_-]{16,43}$/),
  })
  .strict();

export type Mac = (message: string) => string;
export type Sha256 = (message: string) => Uint8Array;

export function encodeJoinChallenge(claims: JoinChallengeClaims, mac: Mac): string {
  const payload = Buffer.from(
    JSON.stringify({ r: claims.room, v: claims.visitor, e: claims.expiresAtMs, d: claims.difficulty, n: claims.nonce }),
  ).toString('base64url');
  return `${payload}.${mac(CHALLENGE_MAC_PREFIX + payload)}`;
}

export const JOIN_CHALLENGE_REFUSALS = [
  'missing',
  'malformed',
  'bad_signature',
  'expired',
  'other_room',
  'other_visitor',
  'difficulty_too_low',
  'insufficient_work',
  'already_used',
] as const;
export type JoinChallengeRefusal = (typeof JOIN_CHALLENGE_REFUSALS)[number];

export type JoinChallengeVerdict =
  | { ok: true; claims: JoinChallengeClaims }
  | { ok: false; field: 'challenge' | 'solution'; reason: JoinChallengeRefusal };

export interface JoinChallengeCheck {
  room: string;
  visitor: string | null;
  nowMs: number;
  /** The room's difficulty now: a challenge issued at a lower one (before a raise) no longer buys a place. */
  difficulty: number;
  mac: Mac;
  /** Compares MACs in constant time. */
  macsMatch: (a: string, b: string) => boolean;
  sha256: Sha256;
}

/** Everything but single use, which only the store can tell: that is the join script's to check. */
export function verifyJoinChallenge(
  challenge: string | undefined,
  solution: string | undefined,
  check: JoinChallengeCheck,
): JoinChallengeVerdict {
  if (!challenge) return refuse('challenge', 'missing');
  if (!solution) return refuse('solution', 'missing');
  if (!/^\d{1,16}$/.test(solution)) return refuse('solution', 'malformed');
  const dot = challenge.indexOf('.');
  if (dot <= 0 || dot !== challenge.lastIndexOf('.')) return refuse('challenge', 'malformed');
  const payload = challenge.slice(0, dot);
  if (!check.macsMatch(challenge.slice(dot + 1), check.mac(CHALLENGE_MAC_PREFIX + payload)))
    return refuse('challenge', 'bad_signature');
  const claims = decodeClaims(payload);
  if (!claims) return refuse('challenge', 'malformed');
  if (claims.expiresAtMs <= check.nowMs) return refuse('challenge', 'expired');
  if (claims.room !== check.room) return refuse('challenge', 'other_room');
  if (claims.visitor !== check.visitor) return refuse('challenge', 'other_visitor');
  if (claims.difficulty < check.difficulty) return refuse('challenge', 'difficulty_too_low');
  if (leadingZeroBits(check.sha256(challenge + solution)) < claims.difficulty)
    return refuse('solution', 'insufficient_work');
  return { ok: true, claims };
}

export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

function decodeClaims(payload: string): JoinChallengeClaims | null {
  try {
    const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!parsed.success) return null;
    const { r, v, e, d, n } = parsed.data;
    return { room: r, visitor: v, expiresAtMs: e, difficulty: d, nonce: n };
  } catch {
    return null;
  }
}

function refuse(field: 'challenge' | 'solution', reason: JoinChallengeRefusal): JoinChallengeVerdict {
  return { ok: false, field, reason };
}

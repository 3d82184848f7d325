import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  encodeJoinChallenge,
  type JoinChallengeCheck,
  type JoinChallengeClaims,
  leadingZeroBits,
  verifyJoinChallenge,
} from './join-challenge';

const mac = (m: string) => createHmac('sha256', 'unit-secret').update(m).digest('base64url').slice(0, 22);
const sha256 = (m: string) => createHash('sha256').update(m).digest();
const NOW = 1_800_000_000_000;
const claims: JoinChallengeClaims = {
  room: 'sale',
  visitor: 'visitor-a',
  expiresAtMs: NOW + 120_000,
  difficulty: 8,
  nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
};
const check: JoinChallengeCheck = {
  room: 'sale',
  visitor: 'visitor-a',
  nowMs: NOW,
  difficulty: 8,
  mac,
  macsMatch: (a, b) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b)),
  sha256,
};

function solve(challenge: string, difficulty: number, wanted = true): string {
  for (let n = 0; ; n++) if (leadingZeroBits(sha256(challenge + n)) >= difficulty === wanted) return String(n);
}

describe('leadingZeroBits', () => {
  it.each([
    [[0x80], 0],
    [[0x40], 1],
    [[0x01], 7],
    [[0x00, 0xff], 8],
    [[0x00, 0x00, 0x1f], 19],
    [[0x00, 0x00], 16],
  ])('%j has %i', (bytes, bits) => expect(leadingZeroBits(Uint8Array.from(bytes))).toBe(bits));
});

describe('verifyJoinChallenge', () => {
  const challenge = encodeJoinChallenge(claims, mac);
  const solution = solve(challenge, 8);

  it('accepts a solved challenge and returns its claims', () => {
    expect(verifyJoinChallenge(challenge, solution, check)).toEqual({ ok: true, claims });
  });

  it.each<[string, Partial<JoinChallengeCheck>, string, string]>([
    ['a lookup in another room', { room: 'other' }, 'challenge', 'other_room'],
    ['another visitor', { visitor: 'visitor-b' }, 'challenge', 'other_visitor'],
    ['a visitor without identity', { visitor: null }, 'challenge', 'other_visitor'],
    ['after expiry', { nowMs: claims.expiresAtMs }, 'challenge', 'expired'],
    ['a room whose difficulty rose since', { difficulty: 9 }, 'challenge', 'difficulty_too_low'],
    ['another deployment (other secret)', { mac: (m) => mac(`x${m}`) }, 'challenge', 'bad_signature'],
  ])('refuses %s', (_case, override, field, reason) => {
    expect(verifyJoinChallenge(challenge, solution, { ...check, ...override })).toEqual({ ok: false, field, reason });
  });

  it('refuses a counter without the leading zero bits', () => {
    expect(verifyJoinChallenge(challenge, solve(challenge, 8, false), check)).toEqual({
      ok: false,
      field: 'solution',
      reason: 'insufficient_work',
    });
  });

  it('refuses a challenge whose payload was changed (a lower difficulty), even re-encoded', () => {
    const [payload, signature] = challenge.split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${Buffer.from(JSON.stringify({ ...decoded, d: 1 })).toString('base64url')}.${signature}`;
    expect(verifyJoinChallenge(tampered, solve(tampered, 1), check)).toMatchObject({ reason: 'bad_signature' });
  });

  it.each<[string | undefined, string | undefined, string, string]>([
    [undefined, '1', 'challenge', 'missing'],
    ['x.y', undefined, 'solution', 'missing'],
    ['x.y', '-1', 'solution', 'malformed'],
    ['no-dot', '1', 'challenge', 'malformed'],
    ['a.b.c', '1', 'challenge', 'malformed'],
  ])('refuses challenge %j with solution %j', (c, s, field, reason) => {
    expect(verifyJoinChallenge(c, s, check)).toEqual({ ok: false, field, reason });
  });

  it('refuses a well-signed payload that is not a challenge', () => {
    const payload = Buffer.from(JSON.stringify({ r: 'sale' })).toString('base64url');
    const signed = `${payload}.${mac(`Join-challenge\0${payload}`)}`;
    expect(verifyJoinChallenge(signed, '1', check)).toEqual({ ok: false, field: 'challenge', reason: 'malformed' });
  });

  it('binds a visitor-less challenge to visitor-less joins only', () => {
    const anonymous = encodeJoinChallenge({ ...claims, visitor: null }, mac);
    const counter = solve(anonymous, 8);
    expect(verifyJoinChallenge(anonymous, counter, { ...check, visitor: null })).toMatchObject({ ok: true });
    expect(verifyJoinChallenge(anonymous, counter, check)).toMatchObject({ reason: 'other_visitor' });
  });
});

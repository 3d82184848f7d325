import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  encodeJoinChallenge,
  JOIN_CHALLENGE_ALGORITHM,
  JOIN_CHALLENGE_TTL_MS,
  type JoinChallengeSetting,
  verifyJoinChallenge,
} from '@surge/queue-core';
import { tokensMatch } from '@surge/service-kit';
import { QueueError, QueueErrorCode } from '../errors/queue.error';
import type { JoinGate } from '../redis/ticket-state';
import { SigningKeysService } from '../tokens/signing-keys.service';

export interface IssuedJoinChallenge {
  challenge: string;
  difficulty: number;
  algorithm: typeof JOIN_CHALLENGE_ALGORITHM;
  expiresAt: string;
}

/**
 * Issues and checks join challenges. Stateless until a join: a challenge is MACed with the ticket secret every
 * instance shares, so a flood of challenge requests costs CPU for one HMAC each and no Redis memory.
 */
@Injectable()
export class JoinChallengeService {
  constructor(private readonly keys: SigningKeysService) {}

  issue(room: string, visitor: string | null, setting: JoinChallengeSetting, nowMs = Date.now()): IssuedJoinChallenge {
    const expiresAtMs = nowMs + JOIN_CHALLENGE_TTL_MS;
    const challenge = encodeJoinChallenge(
      { room, visitor, expiresAtMs, difficulty: setting.difficulty, nonce: randomBytes(16).toString('base64url') },
      (m) => this.keys.mac(m),
    );
    return {
      challenge,
      difficulty: setting.difficulty,
      algorithm: JOIN_CHALLENGE_ALGORITHM,
      expiresAt: new Date(expiresAtMs).toISOString(),
    };
  }

  /**
   * What the join script must do about the gate. No proof at all may still join when the visitor already holds a
   * place (the script decides); a proof that is there must be good, whoever sends it.
   */
  gateFor(
    room: string,
    visitor: string | null,
    setting: JoinChallengeSetting,
    proof: { challenge?: string; solution?: string },
    nowMs = Date.now(),
  ): JoinGate {
    if (!proof.challenge && !proof.solution) return { kind: 'required' };
    const verdict = verifyJoinChallenge(proof.challenge, proof.solution, {
      room,
      visitor,
      nowMs,
      difficulty: setting.difficulty,
      mac: (m) => this.keys.mac(m),
      macsMatch: tokensMatch,
      sha256: (m) => createHash('sha256').update(m).digest(),
    });
    if (!verdict.ok) throw joinChallengeRefused(verdict.field, verdict.reason);
    return { kind: 'spend', nonce: verdict.claims.nonce, ttlMs: verdict.claims.expiresAtMs - nowMs };
  }
}

export function joinChallengeRefused(field: 'challenge' | 'solution', reason: string): QueueError {
  const why: Record<string, string> = {
    missing: 'this room asks for a solved join challenge: GET .../challenge, solve it, send challenge and solution',
    malformed: 'is not in the form this service issues',
    bad_signature: 'was not issued by this waiting room',
    expired: 'has expired; ask for a new one',
    other_room: 'was issued for another room',
    other_visitor: 'was issued to another visitor',
    difficulty_too_low: "was issued at a lower difficulty than the room's; ask for a new one",
    insufficient_work: 'does not give the SHA-256 the leading zero bits the challenge asks for',
    already_used: 'was already spent on a join; ask for a new one',
  };
  return new QueueError(QueueErrorCode.JoinChallengeRefused, `${field} ${why[reason] ?? reason}`, undefined, {
    field,
    reason,
  });
}

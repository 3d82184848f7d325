import { Injectable } from '@nestjs/common';
import { createLocalJWKSet, errors, jwtVerify, SignJWT } from 'jose';
import { admissionClaims, checkClaims, type TokenVerdict } from '@surge/queue-core';
import { RedisProvider } from '../redis/redis.provider';
import { SigningKeysService } from './signing-keys.service';

/** Signs admission tokens (EdDSA JWTs) and verifies them: signature, expiry, room and, online, the live session. */
@Injectable()
export class AdmissionTokenService {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly redis: RedisProvider,
  ) {}

  jwks(): { keys: object[] } {
    return { keys: [this.keys.publicJwk] };
  }

  async sign(input: { room: string; visitor: string; ticket: string; sessionEndsAtMs: number }): Promise<string> {
    const claims = admissionClaims({ ...input, nowMs: Date.now() });
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.keys.publicJwk.kid, typ: 'JWT' })
      .sign(this.keys.privateKey);
  }

  async verify(
    token: string,
    room: string | undefined,
    visitorIdOf: (ticket: string) => string | null,
  ): Promise<TokenVerdict> {
    let payload: unknown;
    try {
      // Expiry is judged by checkClaims, so an expired token is reported as such rather than as a bad signature.
      ({ payload } = await jwtVerify(token, createLocalJWKSet(this.jwks() as never), {
        algorithms: ['EdDSA'],
        currentDate: new Date(0),
      }));
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
        return { valid: false, reason: 'bad_signature', message: "signature does not verify with this queue's keys" };
      return { valid: false, reason: 'malformed', message: error instanceof Error ? error.message : 'not a JWT' };
    }
    const verdict = checkClaims(payload, room, Date.now());
    if (!verdict.valid) return verdict;
    const visitor = visitorIdOf(verdict.claims.ticket);
    if (visitor !== verdict.claims.visitor)
      return { valid: false, reason: 'bad_claims', message: 'ticket does not belong to visitor' };
    const status = await this.redis.queue.status(verdict.claims.room, visitor, false);
    if (status.state !== 'admitted')
      return { valid: false, reason: 'session_ended', message: `the visitor's session is ${status.state}` };
    return verdict;
  }
}

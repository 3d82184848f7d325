import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, errors, jwtVerify, SignJWT } from 'jose';
import { admissionClaims, checkClaims, type TokenVerdict } from '@surge/queue-core';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { redeemedTokenKey } from '../redis/room-keys';
import { RedisProvider } from '../redis/redis.provider';
import { SigningKeysService } from './signing-keys.service';

export interface VerifyRequest {
  token: string;
  room: string;
  audience: string;
  /** Spend the admission: this verification succeeds, every later one (of any token of it) fails. */
  redeem: boolean;
}

/** Signs admission tokens (EdDSA JWTs) and verifies them: signature, expiry, room, audience, the live session. */
@Injectable()
export class AdmissionTokenService {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly redis: RedisProvider,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  jwks(): { keys: object[] } {
    return { keys: this.keys.publicJwks() };
  }

  /** The protected origin: the room's redirectUrl's, else the configured audience. */
  audienceOf(redirectUrl: string | null | undefined): string {
    if (redirectUrl)
      try {
        return new URL(redirectUrl).origin;
      } catch {
        // Not a URL the origin can be read from: the configured audience applies.
      }
    return this.config.VQ_TOKEN_AUDIENCE;
  }

  /**
   * The jti is derived from the admission (room, visitor, session end) rather than drawn at random: the status
   * answers re-issue the token on every poll, and all of one admission's tokens must be spent by one redemption.
   */
  async sign(input: {
    room: string;
    visitor: string;
    ticket: string;
    sessionEndsAtMs: number;
    audience: string;
  }): Promise<string> {
    const jti = this.keys.mac(`Admission\0${input.room}\0${input.visitor}\0${input.sessionEndsAtMs}`);
    const claims = admissionClaims({ ...input, jti, ttlSeconds: this.config.VQ_TOKEN_TTL_SECONDS, nowMs: Date.now() });
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.keys.publicJwk.kid, typ: 'JWT' })
      .sign(this.keys.privateKey);
  }

  async verify(request: VerifyRequest, visitorIdOf: (ticket: string) => string | null): Promise<TokenVerdict> {
    let payload: unknown;
    try {
      payload = await this.verifySignature(request.token);
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
        return { valid: false, reason: 'bad_signature', message: "signature does not verify with this queue's keys" };
      return { valid: false, reason: 'malformed', message: error instanceof Error ? error.message : 'not a JWT' };
    }
    const verdict = checkClaims(payload, request.room, request.audience, Date.now());
    if (!verdict.valid) return verdict;
    const visitor = visitorIdOf(verdict.claims.ticket);
    if (visitor !== verdict.claims.visitor)
      return { valid: false, reason: 'bad_claims', message: 'ticket does not belong to visitor' };
    const status = await this.redis.queue.status(verdict.claims.room, visitor, false);
    if (status.state !== 'admitted')
      return { valid: false, reason: 'session_ended', message: `the visitor's session is ${status.state}` };
    if (request.redeem && !(await this.redeem(verdict.claims.jti, verdict.claims.exp)))
      return { valid: false, reason: 'already_redeemed', message: 'this admission was already redeemed' };
    return verdict;
  }

  /** True for the first redemption of an admission only (SET NX, shared by every instance). */
  private async redeem(jti: string, exp: number): Promise<boolean> {
    const key = redeemedTokenKey(this.config.VQ_KEY_PREFIX, jti);
    return (await this.redis.client.set(key, '1', 'EXAT', exp + 1, 'NX')) === 'OK';
  }

  /**
   * Expiry is judged by checkClaims, so an expired token is reported as such rather than as a bad signature. A kid
   * this instance does not know yet may be another instance's fresh key: reload the keys once and retry.
   */
  private async verifySignature(token: string): Promise<unknown> {
    const attempt = async () =>
      (
        await jwtVerify(token, createLocalJWKSet(this.jwks() as never), {
          algorithms: ['EdDSA'],
          currentDate: new Date(0),
        })
      ).payload;
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      await this.keys.refresh();
      return attempt();
    }
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Operator } from './operator';

export const OPERATORS = Symbol('SURGE_OPERATORS');

export interface OperatorEntry extends Operator {
  /** SHA-256 of the token (32 bytes). */
  tokenSha256: Buffer;
}

export const sha256 = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * The operators a service accepts, fixed at boot. A token is matched by its hash against every entry, without
 * stopping at the first match, so the response time tells nothing about which entry or byte differed.
 */
export class OperatorRegistry {
  constructor(private readonly entries: readonly OperatorEntry[]) {}

  get size(): number {
    return this.entries.length;
  }

  authenticate(token: string): Operator | null {
    // An empty token must never match, whatever the configuration (a bare `Bearer ` was once enough).
    if (!token) return null;
    return this.byTokenHash(sha256(token));
  }

  /**
   * The operator a token hash belongs to now: a console session keeps the hash it signed in with, so removing the
   * operator, changing their role or rotating their token takes effect on their open sessions too.
   */
  byTokenHash(given: Buffer): Operator | null {
    if (given.length !== 32) return null;
    let found: Operator | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(given, entry.tokenSha256) && !found) found = { name: entry.name, role: entry.role };
    }
    return found;
  }
}

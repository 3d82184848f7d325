import type { Redis } from 'ioredis';

/**
 * Version of a baseline's value in Redis, `<version>:<number>`. Bump it whenever that shape changes, and teach
 * decodeBaseline to read the previous one, so executors of two releases can share the store.
 */
export const BASELINE_SCHEMA_VERSION = 1;

export function encodeBaseline(value: number): string {
  return `${BASELINE_SCHEMA_VERSION}:${value}`;
}

/**
 * The number a stored baseline holds, or null when this release cannot read it (a newer release's shape, or
 * a value that is not ours). A bare number is a baseline written before baselines carried a version: the same
 * number, so reading it is migrating it.
 */
export function decodeBaseline(raw: string): number | null {
  const colon = raw.indexOf(':');
  if (colon === -1) return parseNumber(raw);
  if (raw.slice(0, colon) !== String(BASELINE_SCHEMA_VERSION)) return null;
  return parseNumber(raw.slice(colon + 1));
}

function parseNumber(text: string): number | null {
  const value = text.trim() === '' ? NaN : Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * The value a setting had before Surge first raised it, per target, so a scale-down can restore it exactly
 * (the runbooks' "reset configuration" step) instead of guessing a default.
 */
export class BaselineStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(targetId: string): string {
    return `${this.prefix}:baseline:${targetId}`;
  }

  /** Keeps the first baseline: later raises must not overwrite the original value. */
  async saveIfAbsent(targetId: string, setting: string, value: number): Promise<void> {
    await this.redis.hsetnx(this.key(targetId), setting, encodeBaseline(value));
  }

  /**
   * Null when none is kept, or when the one kept cannot be read: the scale-down then sets the decided value
   * rather than restore a misread one, and the unreadable value stays for the release that wrote it.
   */
  async get(targetId: string, setting: string): Promise<number | null> {
    const raw = await this.redis.hget(this.key(targetId), setting);
    return raw === null ? null : decodeBaseline(raw);
  }

  async clear(targetId: string, setting: string): Promise<void> {
    await this.redis.hdel(this.key(targetId), setting);
  }
}

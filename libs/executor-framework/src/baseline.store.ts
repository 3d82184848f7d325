import type { Redis } from 'ioredis';

/**
 * Version of a baseline's value in Redis. Version 1 is the bare number, as every release has written it, so
 * executors of the previous release read what this one writes during a rolling upgrade. A later shape is
 * written `<version>:<value>`; teach decodeBaseline to read the previous one when it comes.
 */
export const BASELINE_SCHEMA_VERSION = 1;

export function encodeBaseline(value: number): string {
  return String(value);
}

/**
 * The number a stored baseline holds, or null when this release cannot read it (a `<version>:` prefix of a
 * later release, or a value that is not ours): never a misread number.
 */
export function decodeBaseline(raw: string): number | null {
  if (raw.includes(':')) return null;
  return parseNumber(raw);
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

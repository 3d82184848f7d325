import type { Redis } from 'ioredis';

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
    await this.redis.hsetnx(this.key(targetId), setting, String(value));
  }

  async get(targetId: string, setting: string): Promise<number | null> {
    const value = await this.redis.hget(this.key(targetId), setting);
    return value === null ? null : Number(value);
  }

  async clear(targetId: string, setting: string): Promise<void> {
    await this.redis.hdel(this.key(targetId), setting);
  }
}

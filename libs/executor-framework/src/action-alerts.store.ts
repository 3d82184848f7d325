import { alertEvent, type AlertEvent } from '@surge/contracts';
import type { Redis } from 'ioredis';

/** The SurgeActionFailed alerts an executor has open, by target and setting. */
export interface OpenActionAlerts {
  get(key: string): Promise<AlertEvent | null>;
  set(key: string, alert: AlertEvent): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * In the executor's Redis, beside its decision records: the notifier re-sends a firing alert until its resolve, so
 * an executor that forgot an open alert on restart would leave it firing for good.
 */
export class RedisOpenActionAlerts implements OpenActionAlerts {
  private readonly hash: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.hash = `${keyPrefix}:open-action-alerts`;
  }

  async get(key: string): Promise<AlertEvent | null> {
    const json = await this.redis.hget(this.hash, key);
    if (json === null) return null;
    // One this release cannot read (a newer one's shape) is dropped: a later failure opens a fresh alert.
    const parsed = alertEvent.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  }

  async set(key: string, alert: AlertEvent): Promise<void> {
    await this.redis.hset(this.hash, key, JSON.stringify(alert));
  }

  async delete(key: string): Promise<void> {
    await this.redis.hdel(this.hash, key);
  }
}

/** For tests and hosts without Redis: forgotten on restart. */
export class MemoryOpenActionAlerts implements OpenActionAlerts {
  private readonly open = new Map<string, AlertEvent>();

  async get(key: string): Promise<AlertEvent | null> {
    return this.open.get(key) ?? null;
  }

  async set(key: string, alert: AlertEvent): Promise<void> {
    this.open.set(key, alert);
  }

  async delete(key: string): Promise<void> {
    this.open.delete(key);
  }
}

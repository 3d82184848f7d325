import { Inject, Injectable } from '@nestjs/common';
import type { AlertEvent } from '@surge/contracts';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config/notifier.config';
import { RedisProvider } from '../firing/redis.provider';

/**
 * Long enough to outlast any outage the batch is retried through, and the offset is committed well before; short
 * enough that the marks of old alerts go by themselves.
 */
export const DELIVERED_MARK_TTL_SECONDS = 3 * 24 * 3600;

/**
 * Which receiver already took which transition: one key per (alertId, status, receiver). While one receiver's
 * outage holds the offset and the alert is retried, the receivers that took it are skipped, so none gets it twice.
 * A mark is written after the receiver took the alert: a crash in between sends it once more, never zero times.
 */
@Injectable()
export class DeliveredMarks {
  private readonly prefix: string;

  constructor(
    @Inject(NOTIFIER_CONFIG) config: NotifierConfig,
    private readonly redis: RedisProvider,
  ) {
    this.prefix = `${config.SURGE_NOTIFIER_REDIS_KEY}:delivered:`;
  }

  async has(alert: AlertEvent, receiver: string): Promise<boolean> {
    return (await this.redis.client.exists(this.key(alert, receiver))) === 1;
  }

  async mark(alert: AlertEvent, receiver: string): Promise<void> {
    await this.redis.client.set(this.key(alert, receiver), String(Date.now()), 'EX', DELIVERED_MARK_TTL_SECONDS);
  }

  private key(alert: AlertEvent, receiver: string): string {
    // Receiver names cannot hold a colon (the file's schema), so the key splits back unambiguously.
    return `${this.prefix}${receiver}:${alert.status}:${alert.alertId}`;
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { type AlertEvent, alertEvent } from '@surge/contracts';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config/notifier.config';
import { RedisProvider } from './redis.provider';

/**
 * The alerts firing now, one Redis hash field per alertId holding its firing event. The consumer group's offsets
 * are past every delivered event, so after a restart this hash, not the topic, says what must still be re-sent.
 */
@Injectable()
export class FiringStore {
  private readonly logger = new Logger(FiringStore.name);

  constructor(
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    private readonly redis: RedisProvider,
  ) {}

  async put(event: AlertEvent): Promise<void> {
    await this.redis.client.hset(this.config.SURGE_NOTIFIER_REDIS_KEY, event.alertId, JSON.stringify(event));
  }

  async remove(alertId: string): Promise<void> {
    await this.redis.client.hdel(this.config.SURGE_NOTIFIER_REDIS_KEY, alertId);
  }

  async all(): Promise<AlertEvent[]> {
    const fields = await this.redis.client.hgetall(this.config.SURGE_NOTIFIER_REDIS_KEY);
    return Object.entries(fields).flatMap(([alertId, text]) => {
      const parsed = alertEvent.safeParse(safeJson(text));
      if (parsed.success) return [parsed.data];
      // Only this service writes the hash; an entry it cannot read (an older schema) is dropped, not resent forever.
      this.logger.warn(`dropping unreadable firing entry ${alertId}`);
      void this.remove(alertId).catch(() => undefined);
      return [];
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

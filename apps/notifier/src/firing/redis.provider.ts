import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { HealthRegistry } from '@surge/service-kit';
import { Redis } from 'ioredis';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config/notifier.config';

/** The app's one Redis client, closed after every destroy hook so the consumer's last delivery finishes on it. */
@Injectable()
export class RedisProvider implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisProvider.name);
  readonly client: Redis;

  constructor(@Inject(NOTIFIER_CONFIG) config: NotifierConfig, health: HealthRegistry) {
    this.client = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
    this.client.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
    health.register('redis', async () => {
      await this.client.ping();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

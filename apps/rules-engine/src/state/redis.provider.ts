import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';

/**
 * The engine's Redis client, created once. Closed in onApplicationShutdown, after every destroy hook (Nest runs a
 * module's destroy hooks concurrently): the consumers stop first, and the batch they are evaluating saves its
 * state on an open client.
 */
@Injectable()
export class RedisProvider implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisProvider.name);
  readonly client: Redis;

  constructor(@Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig) {
    this.client = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, connectTimeout: 2000 });
    // Without a listener ioredis prints each failed reconnect as an unhandled error; readiness reports the outage.
    this.client.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

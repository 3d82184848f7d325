import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';

/** The engine's Redis client, created once and closed on shutdown. */
@Injectable()
export class RedisProvider implements OnModuleDestroy {
  readonly client: Redis;

  constructor(@Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig) {
    this.client = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, connectTimeout: 2000 });
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

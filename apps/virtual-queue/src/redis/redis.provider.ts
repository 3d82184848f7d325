import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { HealthRegistry } from '@surge/service-kit';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { QueueRepository } from './queue.repository';

/**
 * The app's one Redis client and the repository on it. Closed in onApplicationShutdown, after every destroy hook
 * (Nest runs a module's destroy hooks concurrently): the admitter's round and the room executor's in-flight
 * decisions finish on an open client, and so do the requests answered while the HTTP server closes.
 */
@Injectable()
export class RedisProvider implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisProvider.name);
  readonly client: Redis;
  readonly queue: QueueRepository;

  constructor(@Inject(VQ_CONFIG) config: VirtualQueueConfig, health: HealthRegistry) {
    this.client = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
    this.client.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
    this.queue = new QueueRepository(this.client, config.VQ_KEY_PREFIX);
    health.register('redis', async () => {
      await this.client.ping();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

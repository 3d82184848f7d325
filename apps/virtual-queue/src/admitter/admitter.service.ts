import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { QueueMetrics } from '../events/queue-metrics';
import { RedisProvider } from '../redis/redis.provider';

/**
 * Runs admission rounds for every room. Any number of instances may run it: each round is one atomic script,
 * so two admitters only split the work, never exceed maxActive or admitPerMinute, and never admit twice.
 */
@Injectable()
export class AdmitterService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AdmitterService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly redis: RedisProvider,
    private readonly metrics: QueueMetrics,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.VQ_RUN_ADMITTER) return;
    this.timer = setInterval(() => {
      // A slow round is not stacked on by the next tick.
      // tick() logs its own failures; the catch keeps a fault that escapes it from ending the process.
      this.running ??= this.tick()
        .catch((error: Error) => this.logger.warn(`admission round failed: ${error.message}`))
        .finally(() => (this.running = null));
    }, this.config.VQ_ADMIT_INTERVAL_MS);
  }

  async tick(): Promise<void> {
    try {
      for (const room of await this.redis.queue.listRooms()) {
        const result = await this.redis.queue.admit(room);
        if (result?.admitted) this.metrics.admissions.inc({ room }, result.admitted);
        // Each sweep checks 64 buckets (8k tickets): at 1M waiting a full pass takes about 30 s at 250 ms rounds.
        await this.redis.queue.sweep(room);
      }
    } catch (error) {
      this.logger.warn(`admission round failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { RoomsFileService } from './rooms-file.service';

/**
 * Brings back, by itself, the rooms of the file that Redis lost (a flush, a restart without persistence): every
 * VQ_ROOMS_RESTORE_INTERVAL_MS it re-creates them as a reload would, so a room answers 503 with Retry-After for
 * about one interval and then serves again, with no operator in the loop. Redis being down is not a loss: the
 * check fails, and the next one tries again.
 */
@Injectable()
export class LostRoomsWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LostRoomsWatcher.name);
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> = Promise.resolve();
  private failing = false;

  constructor(
    private readonly rooms: RoomsFileService,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.VQ_ROOMS_RESTORE_INTERVAL_MS;
    if (!this.config.VQ_ROOMS_FILE || interval === 0) return;
    this.timer = setInterval(() => {
      this.checking = this.checking.then(() => this.check());
    }, interval);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.checking;
  }

  private async check(): Promise<void> {
    try {
      const restored = await this.rooms.restoreLost();
      for (const room of restored)
        this.logger.warn(`room ${room} had lost its state in Redis: re-created from the rooms file`);
      if (this.failing) this.logger.log('lost-room check works again');
      this.failing = false;
    } catch (error) {
      // Once per outage: Redis unreachable is what /health/ready reports, not a reason to flood the log.
      if (!this.failing) this.logger.warn(`lost-room check failed, retrying: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}

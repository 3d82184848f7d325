import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type BackgroundStart, HealthRegistry, startInBackground } from '@surge/service-kit';
import { AlertsConsumerService } from './consumer/alerts-consumer.service';
import { ResenderService } from './firing/resender.service';

/**
 * Starts re-sending what was firing before the restart, then consumes new transitions; in the background, so that
 * Kafka down at boot leaves the app up and not ready instead of exited.
 */
@Injectable()
export class NotifierStartupService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NotifierStartupService.name);
  private starting: BackgroundStart | null = null;

  constructor(
    private readonly resender: ResenderService,
    private readonly consumer: AlertsConsumerService,
    private readonly health: HealthRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.starting = startInBackground(
      'notifier-start',
      this.health,
      async () => {
        this.resender.start();
        await this.consumer.start();
      },
      this.logger,
    );
  }

  /** Resolves once the consumer has joined its group; tests wait on it. */
  whenStarted(): Promise<void> {
    return this.starting?.done ?? Promise.resolve();
  }

  async onModuleDestroy(): Promise<void> {
    await this.starting?.stop();
  }
}

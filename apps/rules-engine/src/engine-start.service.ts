import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type BackgroundStart, HealthRegistry, startInBackground } from '@surge/service-kit';
import { ControlConsumer } from './control/control.consumer';
import { ClaimReconciler } from './engine/claim-reconciler.service';
import { ActionResultsConsumer } from './kafka/action-results.consumer';
import { ObservedStateConsumer } from './kafka/observed-state.consumer';
import { SamplesConsumer } from './kafka/samples.consumer';

/**
 * Joins the engine's consumer groups in the background, like the executors and the audit log: Kafka down at boot
 * leaves the engine up and not ready, trying again, instead of ending the process. The control topic is read
 * first: not one sample is evaluated before the operator's pauses in force are known. Each step is a no-op once
 * done, so an attempt after a failed one resumes where it stopped.
 */
@Injectable()
export class EngineStart implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EngineStart.name);
  private starting: BackgroundStart | null = null;

  constructor(
    private readonly health: HealthRegistry,
    private readonly control: ControlConsumer,
    private readonly samples: SamplesConsumer,
    private readonly observed: ObservedStateConsumer,
    private readonly actions: ActionResultsConsumer,
    private readonly claims: ClaimReconciler,
  ) {}

  onApplicationBootstrap(): void {
    this.starting = startInBackground(
      'engine-start',
      this.health,
      async () => {
        await this.control.start();
        // With the controls known (a dry-run flip drops claims), before any evaluation reads them.
        await this.claims.start();
        await this.samples.start();
        await this.observed.start();
        await this.actions.start();
      },
      this.logger,
    );
  }

  /** The attempts end first, so none starts a consumer after it was stopped. */
  async onModuleDestroy(): Promise<void> {
    await this.starting?.stop();
    await Promise.all([this.samples.stop(), this.observed.stop(), this.actions.stop(), this.control.stop()]);
  }
}

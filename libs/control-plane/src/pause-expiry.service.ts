import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Topics } from '@surge/contracts';
import { KAFKA_CLIENT, KAFKA_TOPICS, KafkaConsumers } from '@surge/kafka';
import type { Kafka } from 'kafkajs';
import { type ControlIntent, NO_INTENT, reduceControl } from './control-intent';
import { ControlIntentReader } from './control-intent.reader';
import { ControlPublisher } from './control-publisher.service';
import { type ExpiringPause, PauseExpiryTimers } from './pause-expiry.timers';

const RETRY_MS = 5_000;

/**
 * Says so when a pause lapses: the readers already treat an expired pause as resumed, but the trail should show
 * the resume, so the control plane (the one writer of the topic) publishes it, by actor `surge`. It follows the
 * topic as the engine does; a pause already expired when it starts is resumed at once. Two hosts publishing the
 * same resume is harmless: the topic is compacted and the latest event of the scope wins.
 */
@Injectable()
export class PauseExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PauseExpiry.name);
  private readonly reader: ControlIntentReader;
  private readonly timers = new PauseExpiryTimers((pause) => this.resume(pause));
  private intent: ControlIntent = NO_INTENT;
  private stopped = false;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    consumers: KafkaConsumers,
    @Inject(KAFKA_TOPICS) topics: Topics,
    private readonly publisher: ControlPublisher,
  ) {
    this.reader = new ControlIntentReader({
      kafka,
      consumers,
      topic: topics.control,
      groupPrefix: 'surge-control-plane',
      onEvent: (event) => {
        this.intent = reduceControl(this.intent, event);
        if (this.reader.isCaughtUp()) this.timers.sync(this.intent);
      },
    });
  }

  /** In the background: the console's API must not wait for the topic, only the expiries do. */
  onApplicationBootstrap(): void {
    void this.reader.start().then(
      () => this.timers.sync(this.intent),
      (error: Error) => {
        if (!this.stopped)
          this.logger.error(`cannot read the control topic, pauses will not be resumed: ${error.message}`);
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.timers.stop();
    await this.reader.stop();
  }

  /** In the background, retried until published: a timer has no caller to report a failure to. */
  private resume(pause: ExpiringPause): void {
    // Only the pause that expired: an operator may have resumed or paused the scope again since.
    const scope = pause.policy ? this.intent.policies[pause.policy] : this.intent.global;
    if (this.stopped || !scope?.paused || scope.pausedAt !== pause.pausedAt || scope.pausedUntil !== pause.until)
      return;
    const reason = `pause until ${new Date(pause.until).toISOString()} expired`;
    this.publisher
      .publish('resume', { ...(pause.policy ? { policy: pause.policy } : {}), actor: 'surge', reason })
      .then(undefined, (error: Error) => {
        this.logger.warn(`cannot publish the resume of an expired pause, retrying: ${error.message}`);
        setTimeout(() => this.resume(pause), RETRY_MS).unref();
      });
  }
}

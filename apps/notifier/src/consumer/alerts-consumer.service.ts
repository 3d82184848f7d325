import { Inject, Injectable, Logger } from '@nestjs/common';
import { type AlertEvent, alertEvent, type Topics } from '@surge/contracts';
import { jsonDecoder, KAFKA_TOPICS, KafkaConsumers, type RunningConsumer } from '@surge/kafka';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config/notifier.config';
import { AlertDelivery } from '../firing/alert-delivery.service';

/**
 * Consumes surge.alerts message by message. The Kafka module's runConsumer resolves an offset only once the
 * delivery resolved (every matching receiver took the alert): while one is down the partition is held at that alert and retried with backoff (the
 * `kafka-consumers` check reports it not ready), and what cannot be decoded or is refused by a receiver for
 * good is parked on the dead-letter topic with its reason.
 */
@Injectable()
export class AlertsConsumerService {
  private readonly logger = new Logger(AlertsConsumerService.name);
  private running: RunningConsumer | undefined;

  constructor(
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    private readonly consumers: KafkaConsumers,
    private readonly delivery: AlertDelivery,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = await this.consumers.run<AlertEvent>({
      groupId: this.config.SURGE_NOTIFIER_GROUP_ID,
      topics: [this.topics.alerts],
      decode: jsonDecoder('AlertEvent', alertEvent),
      // An outage of a receiver is usually seconds to minutes: start at 500 ms, capped by the Kafka module.
      retryDelayMs: 500,
      handle: (event) => this.delivery.deliver(event),
    });
    this.logger.log(`consuming ${this.topics.alerts} as ${this.config.SURGE_NOTIFIER_GROUP_ID}`);
  }
}

import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  METRIC_SAMPLE_SCHEMA_VERSION,
  QUEUE_EVENT_SCHEMA_VERSION,
  type LatestQueueEvent,
  type Topics,
} from '@surge/contracts';
import { KAFKA_TOPICS, SurgeProducer } from '@surge/kafka';

/**
 * Queue events and queue_waiting samples to Kafka, through the Kafka module's producer; without Kafka (no
 * producer) they are dropped. Publishing never blocks admission.
 */
@Injectable()
export class QueueEventsPublisher {
  private readonly logger = new Logger(QueueEventsPublisher.name);

  constructor(
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    @Optional() private readonly producer?: SurgeProducer,
  ) {}

  async event(event: Omit<LatestQueueEvent, 'schemaVersion' | 'time'> & { time?: number }): Promise<void> {
    const full: LatestQueueEvent = { schemaVersion: QUEUE_EVENT_SCHEMA_VERSION, time: Date.now(), ...event };
    await this.send(this.topics.queueEvents, full.room, full);
  }

  /** One sample envelope per room target, keyed by target id like every other sample producer. */
  async samples(target: string, values: Record<string, number>, timestamp: number, room: string): Promise<void> {
    const samples = Object.entries(values).map(([metric, value]) => ({
      schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION,
      target,
      metric,
      value,
      timestamp,
      labels: { room },
    }));
    await this.send(this.topics.samples, target, {
      schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION,
      target,
      samples,
    });
  }

  private async send(topic: string, key: string, payload: unknown): Promise<void> {
    if (!this.producer) return;
    try {
      await this.producer.sendJson(topic, key, payload);
    } catch (error) {
      this.logger.warn(`publishing to ${topic} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

import { Injectable, Logger } from '@nestjs/common';
import {
  METRIC_SAMPLE_SCHEMA_VERSION,
  QUEUE_EVENT_SCHEMA_VERSION,
  type ActionResult,
  type QueueEvent,
} from '@surge/contracts';
import { KafkaProvider } from './kafka.provider';

/** Queue events, queue_waiting samples and action results to Kafka. Publishing never blocks admission. */
@Injectable()
export class QueueEventsPublisher {
  private readonly logger = new Logger(QueueEventsPublisher.name);

  constructor(private readonly kafka: KafkaProvider) {}

  async event(event: Omit<QueueEvent, 'schemaVersion' | 'time'> & { time?: number }): Promise<void> {
    const full: QueueEvent = { schemaVersion: QUEUE_EVENT_SCHEMA_VERSION, time: Date.now(), ...event };
    await this.send(this.kafka.topics.queueEvents, full.room, full);
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
    await this.send(this.kafka.topics.samples, target, {
      schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION,
      target,
      samples,
    });
  }

  async actionResult(result: ActionResult): Promise<void> {
    await this.send(this.kafka.topics.actions, result.target.id, result);
  }

  private async send(topic: string, key: string, payload: unknown): Promise<void> {
    if (!this.kafka.producer) return;
    try {
      await this.kafka.producer.sendJson(topic, key, payload);
    } catch (error) {
      this.logger.warn(`publishing to ${topic} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { resolveTopics, type Topics } from '@surge/contracts';
import { createKafka, ensureTopics, SurgeProducer } from '@surge/kafka';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';

/** The app's Kafka client and producer; absent when KAFKA_BROKERS is unset, so the queue also runs standalone. */
@Injectable()
export class KafkaProvider implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KafkaProvider.name);
  readonly topics: Topics = resolveTopics();
  readonly kafka: Kafka | null;
  readonly producer: SurgeProducer | null;

  constructor(@Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig) {
    this.kafka = config.KAFKA_BROKERS
      ? createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? 'virtual-queue' })
      : null;
    this.producer = this.kafka ? new SurgeProducer(this.kafka) : null;
  }

  async onModuleInit(): Promise<void> {
    if (!this.kafka || !this.producer) {
      this.logger.warn('KAFKA_BROKERS unset: no scale decisions consumed, no queue events or samples published');
      return;
    }
    const t = this.topics;
    await ensureTopics(
      this.kafka,
      [t.decisions, t.actions, t.queueEvents, t.samples, t.deadLetter],
      this.config.SURGE_TOPIC_PARTITIONS,
      this.config.SURGE_TOPIC_REPLICATION,
    );
    await this.producer.connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.producer?.disconnect();
  }
}

import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { resolveTopics, type Topics } from '@surge/contracts';
import { createKafka, ensureTopics, SurgeProducer } from '@surge/kafka';
import type { Kafka } from 'kafkajs';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';

/** The engine's one Kafka client and idempotent producer, created once and closed on shutdown. */
@Injectable()
export class KafkaProvider implements OnModuleInit, OnModuleDestroy {
  readonly topics: Topics = resolveTopics();
  readonly kafka: Kafka;
  readonly producer: SurgeProducer;

  constructor(@Inject(RULES_ENGINE_CONFIG) private readonly config: RulesEngineConfig) {
    this.kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? 'rules-engine' });
    this.producer = new SurgeProducer(this.kafka);
  }

  async onModuleInit(): Promise<void> {
    const t = this.topics;
    await ensureTopics(
      this.kafka,
      [t.samples, t.decisions, t.actions, t.control, t.deadLetter],
      this.config.SURGE_TOPIC_PARTITIONS,
      this.config.SURGE_TOPIC_REPLICATION,
    );
    await this.producer.connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.producer.disconnect();
  }
}

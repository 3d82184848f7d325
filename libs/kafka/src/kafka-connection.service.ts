import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import type { Topics } from '@surge/contracts';
import { HealthRegistry } from '@surge/service-kit';
import type { Admin, Kafka } from 'kafkajs';
import { KAFKA_MODULE_OPTIONS, type KafkaModuleOptions } from './kafka-module.options';
import { KAFKA_CLIENT, KAFKA_TOPICS } from './kafka.tokens';
import { SurgeProducer } from './surge-producer';
import { createStartupTopics } from './topic-setup';

const RECONNECT_DELAY_MS = 2000;

/**
 * Brings the module's Kafka side up and down: start-up topics, the producer and the admin used by the readiness
 * check. The consumers (KafkaConsumers) stop in onModuleDestroy; this closes in onApplicationShutdown, which Nest
 * runs after every destroy hook and after the HTTP server has closed. So on shutdown: consumers stop fetching,
 * finish their in-flight work and commit; then requests still being answered get their acks; then the producer
 * is flushed and disconnected; then the admin.
 */
@Injectable()
export class KafkaConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KafkaConnection.name);
  private readonly admin: Admin;
  private connected = false;
  private stopping = false;
  private connecting?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(KAFKA_MODULE_OPTIONS) private readonly options: KafkaModuleOptions,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    private readonly producer: SurgeProducer,
    @Optional() health?: HealthRegistry,
  ) {
    this.admin = kafka.admin();
    health?.register('kafka', () => this.check());
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async onModuleInit(): Promise<void> {
    if (this.options.connect === 'in-background') {
      this.connecting = this.connectWithRetry();
      return;
    }
    this.connecting = this.connectOnce();
    await this.connecting;
  }

  /** Resolves once connected (at once in `at-start` mode); start-up scripts and tests wait on it. */
  async whenConnected(): Promise<void> {
    while (!this.connected && !this.stopping) await (this.connecting ?? this.connectWithRetry());
  }

  private async connectOnce(): Promise<void> {
    const created = await createStartupTopics(this.kafka, this.options, this.topics);
    await this.producer.connect();
    await this.admin.connect();
    this.connected = true;
    const brokers = (this.options.config.KAFKA_BROKERS ?? []).join(',');
    this.logger.log(`connected to Kafka ${brokers}${created.length ? `; created ${created.join(', ')}` : ''}`);
  }

  private async connectWithRetry(): Promise<void> {
    try {
      await this.connectOnce();
      // Shutdown began while the connection was being made: close what was just opened.
      if (this.stopping) await this.close();
    } catch (error) {
      if (this.stopping) return;
      this.logger.warn(`Kafka not reachable (${(error as Error).message}); retrying in ${RECONNECT_DELAY_MS} ms`);
      await new Promise<void>((resolve) => (this.retryTimer = setTimeout(resolve, RECONNECT_DELAY_MS)));
      this.connecting = this.connectWithRetry();
    }
  }

  private async check(): Promise<void> {
    if (!this.connected) throw new Error('not connected to Kafka yet');
    await this.admin.describeCluster();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    await this.close();
  }

  private async close(): Promise<void> {
    this.connected = false;
    try {
      await this.producer.disconnect();
    } finally {
      await this.admin.disconnect();
    }
  }
}

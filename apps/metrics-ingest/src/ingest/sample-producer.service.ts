import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createKafka, ensureTopics, type OutgoingMessage, SurgeProducer } from '@surge/kafka';
import { HealthRegistry } from '@surge/service-kit';
import type { Admin, Kafka } from 'kafkajs';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { IngestErrorCode, IngestUnavailableError } from './ingest.errors';

const RECONNECT_DELAY_MS = 2000;

/**
 * The app's one Kafka producer. It connects in the background and keeps retrying, so the app starts (and
 * answers 503, and reports not-ready) while Kafka is down instead of crash-looping; /health/ready tells a load
 * balancer when it can take traffic.
 */
@Injectable()
export class SampleProducer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SampleProducer.name);
  private readonly kafka: Kafka;
  private readonly producer: SurgeProducer;
  private readonly admin: Admin;
  private connected = false;
  private stopping = false;
  private connecting?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    health: HealthRegistry,
  ) {
    this.kafka = createKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID ?? 'surge-metrics-ingest',
    });
    this.producer = new SurgeProducer(this.kafka);
    this.admin = this.kafka.admin();
    health.register('kafka', () => this.checkKafka());
  }

  onModuleInit(): void {
    this.connecting = this.connect();
  }

  /** Resolves once connected; used by start-up scripts and tests that want to wait for Kafka. */
  async whenConnected(): Promise<void> {
    while (!this.connected && !this.stopping) await (this.connecting ?? this.connect());
  }

  private async connect(): Promise<void> {
    try {
      const topic = this.config.SURGE_TOPIC_SAMPLES;
      await ensureTopics(this.kafka, [topic], this.config.SURGE_TOPIC_PARTITIONS, this.config.SURGE_TOPIC_REPLICATION);
      await this.producer.connect();
      await this.admin.connect();
      this.connected = true;
      this.logger.log(`connected to Kafka ${this.config.KAFKA_BROKERS.join(',')}, producing to ${topic}`);
    } catch (error) {
      if (this.stopping) return;
      this.logger.warn(`Kafka not reachable (${(error as Error).message}); retrying in ${RECONNECT_DELAY_MS} ms`);
      await new Promise<void>((resolve) => (this.retryTimer = setTimeout(resolve, RECONNECT_DELAY_MS)));
      this.connecting = this.connect();
    }
  }

  private async checkKafka(): Promise<void> {
    if (!this.connected) throw new Error('not connected to Kafka yet');
    await this.admin.describeCluster();
  }

  /**
   * One produce call for the whole batch, resolved only when Kafka acknowledged every message (acks=-1,
   * idempotent producer). A batch that fails or outlasts the deadline is reported to the client as not stored.
   * It is all-or-nothing per partition, not across partitions: messages of different targets may sit on
   * different partitions, and if one partition's write fails after another's succeeded, the client's retry
   * writes those samples again. The rules engine treats a repeated sample (same target, metric and timestamp)
   * as the same observation, so a retry is harmless; what can never happen is a 202 for a sample Kafka lacks.
   */
  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (!this.connected) throw new IngestUnavailableError(IngestErrorCode.KafkaUnavailable, 'not connected to Kafka');
    const timeoutMs = this.config.SURGE_INGEST_PRODUCE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new IngestUnavailableError(
              IngestErrorCode.KafkaTimeout,
              `Kafka did not acknowledge within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.producer.send(this.config.SURGE_TOPIC_SAMPLES, messages, timeoutMs), deadline]);
    } catch (error) {
      if (error instanceof IngestUnavailableError) throw error;
      throw new IngestUnavailableError(
        IngestErrorCode.KafkaUnavailable,
        `Kafka did not take the batch: ${(error as Error).message}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Nest closes the HTTP server (letting in-flight requests finish) after the destroy hooks and before the
   * shutdown hooks: disconnecting here, not in onModuleDestroy, lets a batch already accepted for produce get its ack.
   */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}

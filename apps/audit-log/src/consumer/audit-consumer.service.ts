import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Topics } from '@surge/contracts';
import { createKafka, ensureTopics, type RunningConsumer, runBatchConsumer, SurgeProducer } from '@surge/kafka';
import { HealthRegistry } from '@surge/service-kit';
import { AUDIT_LOG_CONFIG, AUDIT_TOPICS, type AuditLogConfig } from '../config/audit-log.config';
import { toAuditRow } from '../events/audit-event.mapper';
import type { AuditRow } from '../events/audit-row';
import { AuditMetrics } from './audit-metrics';
import { AuditWriterService } from './audit-writer.service';

/**
 * Consumes every audited topic in the audit group. runBatchConsumer resolves a batch's offsets only after
 * handleBatch returned, i.e. after the rows are committed in PostgreSQL: a crash before that redelivers the
 * batch, and the unique key turns the redelivery into no new rows.
 */
@Injectable()
export class AuditConsumerService implements OnModuleDestroy {
  private readonly logger = new Logger(AuditConsumerService.name);
  private running: RunningConsumer | undefined;
  private producer: SurgeProducer | undefined;

  constructor(
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
    private readonly writer: AuditWriterService,
    private readonly metrics: AuditMetrics,
    private readonly health: HealthRegistry,
    @Inject(AUDIT_TOPICS) private readonly topics: Topics,
  ) {}

  async start(): Promise<void> {
    const kafka = createKafka({
      brokers: this.config.KAFKA_BROKERS,
      clientId: this.config.KAFKA_CLIENT_ID ?? 'audit-log',
    });
    const topics = [
      this.topics.decisions,
      this.topics.actions,
      this.topics.queueEvents,
      this.topics.control,
      this.topics.deadLetter,
    ];
    await ensureTopics(kafka, topics, this.config.SURGE_TOPIC_PARTITIONS, this.config.SURGE_TOPIC_REPLICATION);
    // Only needed by the consumer framework's dead-letter path, which the never-throwing decode keeps unused.
    this.producer = new SurgeProducer(kafka);
    await this.producer.connect();
    this.running = await runBatchConsumer<AuditRow>({
      kafka,
      groupId: this.config.SURGE_AUDIT_GROUP_ID,
      topics,
      producer: this.producer,
      deadLetterTopic: this.topics.deadLetter,
      metrics: this.metrics.consumers,
      decode: (value, ctx) => toAuditRow(this.topics, ctx, value),
      handleBatch: async (items) => {
        await this.writer.write(items.map((entry) => entry.item));
      },
      retries: 5,
      retryDelayMs: 200,
    });
    this.health.register('kafka-consumer', () => {
      if (!this.running) throw new Error('audit consumer not running');
    });
    this.logger.log(`consuming ${topics.join(', ')} as ${this.config.SURGE_AUDIT_GROUP_ID}`);
  }

  async onModuleDestroy(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.stop();
    await this.producer?.disconnect();
  }
}

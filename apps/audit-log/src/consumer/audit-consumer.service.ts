import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Topics } from '@surge/contracts';
import {
  type Decoded,
  deadLetterRecordFor,
  KAFKA_TOPICS,
  KafkaConsumers,
  type RunningConsumer,
  sendToDeadLetter,
  SurgeProducer,
} from '@surge/kafka';
import { HealthRegistry } from '@surge/service-kit';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';
import { toAuditRow } from '../events/audit-event.mapper';
import type { AuditRow } from '../events/audit-row';
import { AuditWriterService } from './audit-writer.service';

/** The topics the audit log records, created at start by the Kafka module (see AuditLogModule). */
export const AUDITED_TOPICS = [
  'decisions',
  'actions',
  'queueEvents',
  'control',
  'deadLetter',
  'alerts',
  'explanations',
] as const;

/**
 * Consumes every audited topic in the audit group. runBatchConsumer resolves a batch's offsets only after
 * handleBatch returned, i.e. after the rows are committed in PostgreSQL: a crash before that redelivers the
 * batch, and the unique key turns the redelivery into no new rows. The Kafka module stops the consumer on
 * shutdown, before the PostgreSQL pool closes (PgPool closes at application shutdown).
 */
@Injectable()
export class AuditConsumerService {
  private readonly logger = new Logger(AuditConsumerService.name);
  private running: RunningConsumer | undefined;

  constructor(
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    private readonly consumers: KafkaConsumers,
    private readonly writer: AuditWriterService,
    private readonly health: HealthRegistry,
    private readonly producer: SurgeProducer,
  ) {}

  async start(): Promise<void> {
    const topics = AUDITED_TOPICS.map((key) => this.topics[key]);
    // The audit decode never throws: what it cannot read is kept as an `invalid` row, and parked by parkUnreadable.
    this.running = await this.consumers.runBatch<AuditRow>({
      groupId: this.config.SURGE_AUDIT_GROUP_ID,
      topics,
      decode: (value, ctx) => toAuditRow(this.topics, ctx, value),
      // A tombstone on the dead-letter topic would otherwise be lost: it is kept as an `invalid` row like the rest.
      decodeTombstones: true,
      handleBatch: async (items) => {
        await this.writer.write(items.map((entry) => entry.item));
        await this.parkUnreadable(items);
      },
    });
    this.health.register('kafka-consumer', () => {
      if (!this.running) throw new Error('audit consumer not running');
    });
    this.logger.log(`consuming ${topics.join(', ')} as ${this.config.SURGE_AUDIT_GROUP_ID}`);
  }

  /**
   * A record the audit log cannot read is also parked on the dead-letter topic with its reason, as every consumer
   * parks its poison, so that an operator finds it where the rest is (a topic only the audit reads, as actions or
   * queue events, had no other reader to park it). Sent after the rows are stored and before the offsets are
   * committed: a crash in between sends it again, never loses it. Not for the dead-letter topic itself: that loops.
   */
  private async parkUnreadable(items: Decoded<AuditRow>[]): Promise<void> {
    for (const { item, ctx } of items) {
      if (item.eventType !== 'invalid' || ctx.topic === this.topics.deadLetter) continue;
      const reason = (item.payload as { reason?: string }).reason ?? 'unreadable';
      const record = deadLetterRecordFor(
        { topic: ctx.topic, partition: ctx.partition, message: ctx.message },
        this.config.SURGE_AUDIT_GROUP_ID,
        reason === 'not JSON' || reason.startsWith('empty value') ? 'invalid-json' : 'schema-violation',
        new Error(reason),
        1,
      );
      await sendToDeadLetter(this.producer, this.topics.deadLetter, record);
    }
  }
}

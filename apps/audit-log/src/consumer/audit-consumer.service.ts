import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Topics } from '@surge/contracts';
import { KAFKA_TOPICS, KafkaConsumers, type RunningConsumer } from '@surge/kafka';
import { HealthRegistry } from '@surge/service-kit';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';
import { toAuditRow } from '../events/audit-event.mapper';
import type { AuditRow } from '../events/audit-row';
import { AuditWriterService } from './audit-writer.service';

/** The topics the audit log records, created at start by the Kafka module (see AuditLogModule). */
export const AUDITED_TOPICS = ['decisions', 'actions', 'queueEvents', 'control', 'deadLetter'] as const;

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
  ) {}

  async start(): Promise<void> {
    const topics = AUDITED_TOPICS.map((key) => this.topics[key]);
    // The dead-letter path (the module's producer) stays unused: the audit decode never throws.
    this.running = await this.consumers.runBatch<AuditRow>({
      groupId: this.config.SURGE_AUDIT_GROUP_ID,
      topics,
      decode: (value, ctx) => toAuditRow(this.topics, ctx, value),
      // A tombstone on the dead-letter topic would otherwise be lost: it is kept as an `invalid` row like the rest.
      decodeTombstones: true,
      handleBatch: async (items) => {
        await this.writer.write(items.map((entry) => entry.item));
      },
    });
    this.health.register('kafka-consumer', () => {
      if (!this.running) throw new Error('audit consumer not running');
    });
    this.logger.log(`consuming ${topics.join(', ')} as ${this.config.SURGE_AUDIT_GROUP_ID}`);
  }
}

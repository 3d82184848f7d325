import { Inject, Injectable } from '@nestjs/common';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';
import { PartitionMaintenanceService } from '../database/partition-maintenance.service';
import { PgPool } from '../database/pg-pool.provider';
import { type AuditRow, type StoredAuditEvent } from './audit-row';

/**
 * Writes rows in one statement per batch: parallel arrays unnested into rows, so the statement text and its
 * plan stay the same whatever the batch size. A record seen before hits the Kafka-record unique key and is
 * skipped, which makes a redelivery after a crash harmless.
 */
@Injectable()
export class AuditEventRepository {
  constructor(
    private readonly pg: PgPool,
    private readonly partitions: PartitionMaintenanceService,
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
  ) {}

  /** Returns the rows actually inserted (not the duplicates), with their ids. */
  async insertBatch(rows: AuditRow[]): Promise<StoredAuditEvent[]> {
    if (rows.length === 0) return [];
    await this.partitions.ensureFor(rows.map((row) => row.recordTime));
    const schema = this.config.SURGE_AUDIT_SCHEMA;
    const { rows: inserted } = await this.pg.pool.query<{
      id: string;
      topic: string;
      partition: number;
      kafka_offset: string;
    }>(
      `INSERT INTO "${schema}".events (topic, partition, kafka_offset, record_time, event_type, target_id, target_kind, decision_id, status, policy, payload)
       SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::jsonb[])
       ON CONFLICT DO NOTHING
       RETURNING id, topic, partition, kafka_offset`,
      [
        rows.map((r) => r.topic),
        rows.map((r) => r.partition),
        rows.map((r) => r.kafkaOffset),
        rows.map((r) => r.recordTime),
        rows.map((r) => r.eventType),
        rows.map((r) => r.targetId),
        rows.map((r) => r.targetKind),
        rows.map((r) => r.decisionId),
        rows.map((r) => r.status),
        rows.map((r) => r.policy),
        rows.map((r) => JSON.stringify(r.payload)),
      ],
    );
    // Only the keys come back: sending every payload back from the server would double the bytes per batch.
    const byKey = new Map(rows.map((row) => [`${row.topic}\u0000${row.partition}\u0000${row.kafkaOffset}`, row]));
    return inserted.flatMap((key) => {
      const row = byKey.get(`${key.topic}\u0000${key.partition}\u0000${String(key.kafka_offset)}`);
      return row ? [{ ...row, id: String(key.id) }] : [];
    });
  }

  async count(): Promise<number> {
    const { rows } = await this.pg.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${this.config.SURGE_AUDIT_SCHEMA}".events`,
    );
    return Number(rows[0]?.n ?? 0);
  }
}

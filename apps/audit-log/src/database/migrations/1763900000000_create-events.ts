import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * One append-only table for every audited record, partitioned by month on the Kafka record's timestamp.
 * The unique key must contain the partition key (a PostgreSQL rule for partitioned tables), so it is
 * (topic, partition, kafka_offset, record_time): a redelivered record hits it and is ignored.
 * Partitions themselves are created ahead of time by the partition maintenance service, not here.
 * Unqualified names land in the configured schema through the runner's search_path.
 */
export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    CREATE TABLE events (
      id bigserial NOT NULL,
      topic text NOT NULL,
      partition integer NOT NULL,
      kafka_offset bigint NOT NULL,
      record_time timestamptz NOT NULL,
      event_type text NOT NULL,
      target_id text,
      target_kind text,
      decision_id text,
      status text,
      policy text,
      payload jsonb NOT NULL,
      inserted_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT events_kafka_record_key UNIQUE (topic, partition, kafka_offset, record_time)
    ) PARTITION BY RANGE (record_time)
  `);
  // Each index leads with the filter column and ends with the keyset order (record_time DESC, id DESC).
  pgm.sql('CREATE INDEX events_target_time_idx ON events (target_id, record_time DESC, id DESC)');
  pgm.sql('CREATE INDEX events_type_time_idx ON events (event_type, record_time DESC, id DESC)');
  pgm.sql('CREATE INDEX events_time_idx ON events (record_time DESC, id DESC)');
  pgm.sql('CREATE INDEX events_decision_idx ON events (decision_id) WHERE decision_id IS NOT NULL');
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('DROP TABLE events');
}

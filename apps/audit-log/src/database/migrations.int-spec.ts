import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { testConfig } from '../testing/test-app';
import { runMigrations } from './migration-runner';
import { PartitionMaintenanceService } from './partition-maintenance.service';
import type { PgPool } from './pg-pool.provider';

describe('audit schema migrations (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const schema = 'audit_mig';

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url });
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('runs up on an empty database, then again as a no-op', async () => {
    expect(await runMigrations({ databaseUrl: db.url, schema })).toEqual([
      '1763900000000_create-events',
      '1764800000000_plan-run-index',
      '1765600000000_console-sessions',
    ]);
    expect(await runMigrations({ databaseUrl: db.url, schema })).toEqual([]);

    const partitioned = await pool.query(
      `SELECT pt.partstrat, a.attname FROM pg_partitioned_table pt
         JOIN pg_class c ON c.oid = pt.partrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = pt.partattrs[0]
        WHERE n.nspname = $1 AND c.relname = 'events'`,
      [schema],
    );
    expect(partitioned.rows).toEqual([{ partstrat: 'r', attname: 'record_time' }]);
    const indexes = await pool.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'events' ORDER BY 1`,
      [schema],
    );
    expect(indexes.rows.map((r) => r.indexname)).toEqual([
      'events_decision_idx',
      'events_kafka_record_key',
      'events_plan_run_idx',
      'events_target_time_idx',
      'events_time_idx',
      'events_type_time_idx',
    ]);
    const migrations = await pool.query(`SELECT name FROM ${schema}.pgmigrations`);
    expect(migrations.rowCount).toBe(3);
  });

  it('creates partitions ahead and drops those past the retention', async () => {
    const config = testConfig({
      DATABASE_URL: db.url,
      SURGE_AUDIT_SCHEMA: schema,
      SURGE_AUDIT_PARTITIONS_AHEAD: '2',
      SURGE_AUDIT_RETENTION_MONTHS: '2',
    });
    const maintenance = new PartitionMaintenanceService({ pool } as PgPool, config);
    const first = await maintenance.maintain(new Date('2026-06-15T00:00:00Z'));
    expect(first.created).toEqual(['events_y2026m06', 'events_y2026m07', 'events_y2026m08']);
    expect((await maintenance.maintain(new Date('2026-06-15T00:00:00Z'))).created).toEqual([]);

    await pool.query(
      `INSERT INTO ${schema}.events (topic, partition, kafka_offset, record_time, event_type, payload) VALUES ('t', 0, 1, '2026-06-20T00:00:00Z', 'decision', '{}')`,
    );
    // Three months later June has aged past a two-month retention; its rows go with it.
    const later = await maintenance.maintain(new Date('2026-09-15T00:00:00Z'));
    expect(later.dropped).toEqual(['events_y2026m06']);
    expect(await maintenance.existing()).toEqual([
      'events_y2026m07',
      'events_y2026m08',
      'events_y2026m09',
      'events_y2026m10',
      'events_y2026m11',
    ]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${schema}.events`)).rows[0].n).toBe(0);
  });
});

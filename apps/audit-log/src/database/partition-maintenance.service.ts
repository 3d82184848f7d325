import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';
import { type MonthPartition, partitionFor, partitionsToCreate, partitionsToDrop } from './partition-plan';
import { PgPool } from './pg-pool.provider';

const HOUR_MS = 3_600_000;

/**
 * Keeps the monthly partitions of the events table: created ahead of time, and also on demand for a record
 * whose month has none (a replay of old records), and dropped past the retention.
 */
@Injectable()
export class PartitionMaintenanceService implements OnModuleDestroy {
  private readonly logger = new Logger(PartitionMaintenanceService.name);
  private readonly known = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pg: PgPool,
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
  ) {}

  private get schema(): string {
    return this.config.SURGE_AUDIT_SCHEMA;
  }

  /** Runs once now and then hourly, which is plenty for month-sized partitions. */
  async start(): Promise<void> {
    await this.maintain(new Date());
    if (this.timer) return;
    this.timer = setInterval(
      () =>
        void this.maintain(new Date()).catch((e: Error) =>
          this.logger.error(`partition maintenance failed: ${e.message}`),
        ),
      HOUR_MS,
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async maintain(now: Date): Promise<{ created: string[]; dropped: string[] }> {
    const created = await this.create(partitionsToCreate(now, this.config.SURGE_AUDIT_PARTITIONS_AHEAD));
    const dropped = await this.dropExpired(now);
    if (created.length || dropped.length)
      this.logger.log(`partitions created: [${created.join(', ')}], dropped: [${dropped.join(', ')}]`);
    return { created, dropped };
  }

  /** Makes sure every record time of a batch has its partition; a cache keeps this free on the hot path. */
  async ensureFor(recordTimes: Date[]): Promise<void> {
    const missing = new Map<string, MonthPartition>();
    for (const time of recordTimes) {
      const partition = partitionFor(time);
      if (!this.known.has(partition.name)) missing.set(partition.name, partition);
    }
    if (missing.size > 0) await this.create([...missing.values()]);
  }

  async existing(): Promise<string[]> {
    const { rows } = await this.pg.pool.query<{ name: string }>(
      `SELECT child.relname AS name FROM pg_inherits
         JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
         JOIN pg_class child ON child.oid = pg_inherits.inhrelid
         JOIN pg_namespace ns ON ns.oid = parent.relnamespace
        WHERE ns.nspname = $1 AND parent.relname = 'events' ORDER BY 1`,
      [this.schema],
    );
    return rows.map((row) => row.name);
  }

  private async create(partitions: MonthPartition[]): Promise<string[]> {
    const created: string[] = [];
    await this.locked(async (client) => {
      for (const partition of partitions) {
        const exists = await client.query('SELECT to_regclass($1) AS oid', [`"${this.schema}".${partition.name}`]);
        if (exists.rows[0].oid === null) {
          await client.query(
            `CREATE TABLE "${this.schema}".${partition.name} PARTITION OF "${this.schema}".events
               FOR VALUES FROM ('${partition.from.toISOString()}') TO ('${partition.to.toISOString()}')`,
          );
          created.push(partition.name);
        }
        this.known.add(partition.name);
      }
    });
    return created;
  }

  private async dropExpired(now: Date): Promise<string[]> {
    const expired = partitionsToDrop(await this.existing(), now, this.config.SURGE_AUDIT_RETENTION_MONTHS);
    await this.locked(async (client) => {
      for (const name of expired) {
        await client.query(`DROP TABLE IF EXISTS "${this.schema}".${name}`);
        this.known.delete(name);
      }
    });
    return expired;
  }

  // DDL on one partitioned table from several instances at once would race; one transaction-scoped lock serialises it.
  private async locked(work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pg.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.schema}.events.partitions`]);
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

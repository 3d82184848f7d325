import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type BackgroundStart, HealthRegistry, startInBackground } from '@surge/service-kit';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from './config/audit-log.config';
import { AuditConsumerService } from './consumer/audit-consumer.service';
import { runMigrations } from './database/migration-runner';
import { PartitionMaintenanceService } from './database/partition-maintenance.service';
import { PgPool } from './database/pg-pool.provider';

/**
 * Start-up in dependency order: schema, then partitions, then consuming into them. In the background, tried
 * again until it succeeds: PostgreSQL or Kafka down at boot leaves the app up and not ready, never exited.
 */
@Injectable()
export class AuditStartupService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditStartupService.name);
  private starting: BackgroundStart | null = null;

  constructor(
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
    private readonly pg: PgPool,
    private readonly partitions: PartitionMaintenanceService,
    private readonly consumer: AuditConsumerService,
    private readonly health: HealthRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.health.register('postgres', async () => {
      await this.pg.pool.query('SELECT 1');
    });
    this.starting = startInBackground('audit-start', this.health, () => this.start(), this.logger);
  }

  /** Resolves once the schema is in place and the consumer has joined; tests wait on it. */
  whenStarted(): Promise<void> {
    return this.starting?.done ?? Promise.resolve();
  }

  async onModuleDestroy(): Promise<void> {
    await this.starting?.stop();
  }

  private async start(): Promise<void> {
    if (this.config.SURGE_AUDIT_MIGRATE_ON_START) {
      const applied = await runMigrations({
        databaseUrl: this.config.DATABASE_URL,
        schema: this.config.SURGE_AUDIT_SCHEMA,
      });
      this.logger.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'schema up to date');
    }
    await this.partitions.start();
    if (this.config.SURGE_AUDIT_CONSUME) await this.consumer.start();
  }
}

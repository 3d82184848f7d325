import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HealthRegistry } from '@surge/service-kit';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from './config/audit-log.config';
import { AuditConsumerService } from './consumer/audit-consumer.service';
import { runMigrations } from './database/migration-runner';
import { PartitionMaintenanceService } from './database/partition-maintenance.service';
import { PgPool } from './database/pg-pool.provider';

/** Start-up in dependency order: schema, then partitions, then consuming into them. */
@Injectable()
export class AuditStartupService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuditStartupService.name);

  constructor(
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
    private readonly pg: PgPool,
    private readonly partitions: PartitionMaintenanceService,
    private readonly consumer: AuditConsumerService,
    private readonly health: HealthRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.health.register('postgres', async () => {
      await this.pg.pool.query('SELECT 1');
    });
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

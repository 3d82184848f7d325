import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';

/** The app's one PostgreSQL pool. Closed at application shutdown, after the consumer stopped in onModuleDestroy. */
@Injectable()
export class PgPool implements OnApplicationShutdown {
  private readonly logger = new Logger(PgPool.name);
  readonly pool: Pool;

  constructor(@Inject(AUDIT_LOG_CONFIG) config: AuditLogConfig) {
    this.pool = new Pool({
      connectionString: config.DATABASE_URL,
      max: config.SURGE_AUDIT_DB_POOL_SIZE,
      application_name: 'surge-audit-log',
      // A server that accepts no connection (stopped, overloaded) fails the attempt instead of hanging it: the
      // consumer then waits and retries, heartbeating, rather than losing its partitions to a session timeout.
      connectionTimeoutMillis: 5_000,
    });
    this.pool.on('error', (error) => this.logger.warn(`idle PostgreSQL client failed: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaModule, type SigningDeclaration } from '@surge/kafka';
import { ObservabilityModule } from '@surge/service-kit';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from './config/audit-log.config';
import { AUDITED_TOPICS, AuditConsumerService } from './consumer/audit-consumer.service';
import { AuditMetrics } from './consumer/audit-metrics';
import { AuditWriterService } from './consumer/audit-writer.service';
import { PartitionMaintenanceService } from './database/partition-maintenance.service';
import { PgPool } from './database/pg-pool.provider';
import { AuditEventBus } from './events/audit-event-bus';
import { AuditEventRepository } from './events/audit-event.repository';
import { AuditQueryRepository } from './events/audit-query.repository';
import { AuditStartupService } from './audit-startup.service';
import { AuditReadGuard } from './http/audit-read.guard';
import { EventsController } from './http/events.controller';
import { SessionController } from './http/session.controller';
import { StreamController } from './http/stream.controller';
import { ConsoleSessionAuthenticator } from './sessions/console-session.authenticator';
import { ConsoleSessionRepository } from './sessions/console-session.repository';

@Module({})
export class AuditLogModule {
  /**
   * The config is loaded once by the caller (main.ts, or a test); the topic names in force are part of it.
   * `signing` is the host's: the audit log signs nothing itself, the control plane it hosts signs its events.
   */
  static forRoot(config: AuditLogConfig, signing?: SigningDeclaration): DynamicModule {
    return {
      module: AuditLogModule,
      imports: [
        ObservabilityModule.forRoot({
          appName: 'audit-log',
          logLevel: config.LOG_LEVEL,
          adminToken: config.SURGE_ADMIN_TOKEN,
          operatorsFile: config.SURGE_OPERATORS_FILE,
        }),
        KafkaModule.forRoot({ config, clientId: 'audit-log', topics: [...AUDITED_TOPICS], signing }),
      ],
      controllers: [EventsController, StreamController, SessionController],
      providers: [
        { provide: AUDIT_LOG_CONFIG, useValue: config },
        PgPool,
        PartitionMaintenanceService,
        AuditEventRepository,
        AuditQueryRepository,
        AuditEventBus,
        AuditMetrics,
        AuditWriterService,
        AuditConsumerService,
        AuditReadGuard,
        ConsoleSessionRepository,
        ConsoleSessionAuthenticator,
        AuditStartupService,
      ],
    };
  }
}

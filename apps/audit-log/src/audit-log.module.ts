import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@surge/service-kit';
import { resolveTopics, type Topics } from '@surge/contracts';
import { AUDIT_LOG_CONFIG, AUDIT_TOPICS, type AuditLogConfig } from './config/audit-log.config';
import { AuditConsumerService } from './consumer/audit-consumer.service';
import { AuditMetrics } from './consumer/audit-metrics';
import { AuditWriterService } from './consumer/audit-writer.service';
import { ControlController } from './control/control.controller';
import { ControlPublisherService } from './control/control-publisher.service';
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

@Module({})
export class AuditLogModule {
  static forRoot(config: AuditLogConfig, topics: Topics = resolveTopics()): DynamicModule {
    return {
      module: AuditLogModule,
      imports: [
        ObservabilityModule.forRoot({
          appName: 'audit-log',
          logLevel: config.LOG_LEVEL,
          adminToken: config.SURGE_ADMIN_TOKEN,
        }),
      ],
      controllers: [EventsController, StreamController, SessionController, ControlController],
      providers: [
        { provide: AUDIT_LOG_CONFIG, useValue: config },
        { provide: AUDIT_TOPICS, useValue: topics },
        PgPool,
        PartitionMaintenanceService,
        AuditEventRepository,
        AuditQueryRepository,
        AuditEventBus,
        AuditMetrics,
        AuditWriterService,
        AuditConsumerService,
        ControlPublisherService,
        AuditReadGuard,
        AuditStartupService,
      ],
    };
  }
}

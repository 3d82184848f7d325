import { type DynamicModule, Module } from '@nestjs/common';
import { CONTROL_PLANE_SIGNING, ControlPlaneModule } from '@surge/control-plane';
import { AuditLogModule } from './audit-log.module';
import type { AuditLogConfig } from './config/audit-log.config';

/**
 * The process that serves the console hosts the two things the console calls: the audit trail it reads and
 * the control plane it commands, side by side and sharing nothing but the admin guard and the Kafka module.
 * They share a process because the console is one origin: its session cookie and its calls reach both without
 * CORS or a second login. The audit log itself never publishes; it stores the control plane's events like every
 * other record.
 */
@Module({})
export class ConsoleHostModule {
  static forRoot(config: AuditLogConfig): DynamicModule {
    return {
      module: ConsoleHostModule,
      imports: [AuditLogModule.forRoot(config, CONTROL_PLANE_SIGNING), ControlPlaneModule],
    };
  }
}

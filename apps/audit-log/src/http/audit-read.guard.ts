import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AdminAuthGuard, DocumentGuard, OPERATOR_AUTHENTICATION } from '@surge/service-kit';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';

/** The read-only API takes any operator (viewers included) or session, unless SURGE_AUDIT_PUBLIC_READ opens it. */
@Injectable()
@DocumentGuard({
  ...OPERATOR_AUTHENTICATION,
  role: 'viewer',
  note: 'Open to anyone, without a credential, when SURGE_AUDIT_PUBLIC_READ is true.',
})
export class AuditReadGuard implements CanActivate {
  constructor(
    private readonly admin: AdminAuthGuard,
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    return this.config.SURGE_AUDIT_PUBLIC_READ || this.admin.authorize(context, 'viewer');
  }
}

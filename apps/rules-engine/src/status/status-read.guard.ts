import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import {
  AdminAuthGuard,
  DocumentGuard,
  OPERATOR_AUTHENTICATION,
  OPERATORS,
  type OperatorRegistry,
} from '@surge/service-kit';

/**
 * The engine's read API (status, policies) is a viewer's, as every read API of Surge is: the operators file's
 * tokens, or the admin token as `admin`. With no operator configured it is closed, and says why.
 */
@Injectable()
@DocumentGuard({
  ...OPERATOR_AUTHENTICATION,
  role: 'viewer',
  note: 'Closed (401) while the engine has no operator configured (SURGE_OPERATORS_FILE or SURGE_ADMIN_TOKEN).',
})
export class StatusReadGuard implements CanActivate {
  constructor(
    private readonly admin: AdminAuthGuard,
    @Inject(OPERATORS) private readonly operators: OperatorRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.operators.size === 0)
      throw new UnauthorizedException(
        'the rules engine has no SURGE_OPERATORS_FILE or SURGE_ADMIN_TOKEN: its read API is closed',
      );
    return this.admin.authorize(context, 'viewer');
  }
}

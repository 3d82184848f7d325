import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { ADMIN_TOKEN, AdminAuthGuard } from '@surge/service-kit';

/**
 * The engine's read API (status, policies) takes the admin token or the console's session cookie, as every read
 * API of Surge does. Without a token configured it is closed: the admin guard would compare against the empty
 * string, which a bare `Bearer ` matches.
 */
@Injectable()
export class StatusReadGuard implements CanActivate {
  constructor(
    private readonly admin: AdminAuthGuard,
    @Inject(ADMIN_TOKEN) private readonly adminToken: string,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.adminToken)
      throw new UnauthorizedException('the rules engine has no SURGE_ADMIN_TOKEN: its read API is closed');
    return this.admin.authorize(context, 'viewer');
  }
}

import { timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DocumentGuard, OPERATOR_AUTHENTICATION } from './openapi/guard-documentation';
import { ConsoleSessions } from './operators/console-sessions';
import { type Operator, type Role, roleAllows } from './operators/operator';
import { OPERATORS, type OperatorRegistry } from './operators/operator-registry';
import { type AuthenticatedRequest, REQUIRED_ROLE } from './operators/require-role.decorator';

export const ADMIN_TOKEN = Symbol('SURGE_ADMIN_TOKEN');

/** Compares in constant time so the token cannot be recovered byte by byte from response timings. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Guards every admin and control endpoint of Surge. A Bearer token names its operator (the operators file, or
 * SURGE_ADMIN_TOKEN as `admin`); the console's session cookie is accepted only where the console is hosted, which
 * registers a session authenticator. The endpoint's @RequireRole (admin when absent) decides the rest.
 */
@Injectable()
@DocumentGuard({ ...OPERATOR_AUTHENTICATION, role: 'admin', roleFromRoute: true })
export class AdminAuthGuard implements CanActivate {
  constructor(
    @Inject(OPERATORS) private readonly operators: OperatorRegistry,
    private readonly sessions: ConsoleSessions,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const role =
      this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]) ??
      'admin';
    return this.authorize(context, role);
  }

  /** For guards that compose this one (the read APIs): the same checks for a role they choose. */
  authorize(context: ExecutionContext, role: Role): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const operator = this.operators.authenticate(header.slice(7).trim());
      if (!operator) throw new UnauthorizedException('invalid admin token');
      return this.admit(request, operator, role);
    }
    const sessions = this.sessions.current;
    if (!sessions) throw new UnauthorizedException('missing Authorization: Bearer <token>');
    return sessions.authenticate(request).then((operator) => {
      if (!operator) throw new UnauthorizedException('missing Authorization: Bearer <token> or console session');
      return this.admit(request, operator, role);
    });
  }

  private admit(request: AuthenticatedRequest, operator: Operator, role: Role): boolean {
    if (!roleAllows(operator.role, role))
      throw new ForbiddenException(`operator ${operator.name} is a ${operator.role}; this needs ${role}`);
    request.operator = operator;
    return true;
  }
}

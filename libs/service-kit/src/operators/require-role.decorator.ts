import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Operator, Role } from './operator';

export const REQUIRED_ROLE = 'surge:required-role';

/** The least role an endpoint (or every endpoint of a controller) needs; without it the admin guard asks for admin. */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/** Where the admin guard leaves the operator it authenticated. */
export interface AuthenticatedRequest extends FastifyRequest {
  operator?: Operator;
}

/** The operator the admin guard authenticated: the name the audit trail records for the action. */
export const CurrentOperator = createParamDecorator((_: unknown, context: ExecutionContext): Operator => {
  const operator = context.switchToHttp().getRequest<AuthenticatedRequest>().operator;
  if (!operator) throw new Error('CurrentOperator used on a route without the admin guard');
  return operator;
});

import { GUARDS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { OperationObject, SecuritySchemeObject } from '@nestjs/swagger';
import type { z } from 'zod';
import type { Role } from '../operators/operator';
import { REQUIRED_ROLE } from '../operators/require-role.decorator';
import { ZodValidationPipe } from '../zod-validation.pipe';
import { type GuardDocumentation, guardDocumentationOf } from './guard-documentation';
import type { RouteHandler } from './route-index';
import { COMPONENT_SCHEMAS } from './zod-json-schema';

export const ERROR_BODY = 'ErrorBody';

export interface DocumentedRoute {
  /** Zod schemas the operation refers to, by component name. */
  schemas: Map<string, z.ZodType>;
  schemes: Record<string, SecuritySchemeObject>;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `VisitorController_join` → `VisitorJoinRequest`. */
function bodyComponentName(route: RouteHandler): string {
  return `${route.controller.name.replace(/Controller$/, '')}${capitalized(route.methodName)}Request`;
}

/** The zod schema of the body, taken from the ZodValidationPipe that validates it: the document cannot drift. */
function zodBodyOf(route: RouteHandler): z.ZodType | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.methodName) ?? {}) as Record<
    string,
    { pipes?: unknown[] }
  >;
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.BODY) continue;
    const pipe = arg.pipes?.find((p): p is ZodValidationPipe<z.ZodType> => p instanceof ZodValidationPipe);
    if (pipe) return pipe.schema;
  }
  return undefined;
}

function guardsOf(route: RouteHandler): GuardDocumentation[] {
  const guards = [
    ...((Reflect.getMetadata(GUARDS_METADATA, route.controller) ?? []) as unknown[]),
    ...((Reflect.getMetadata(GUARDS_METADATA, route.handler) ?? []) as unknown[]),
  ];
  return guards.map(guardDocumentationOf).filter((doc): doc is GuardDocumentation => doc !== undefined);
}

function roleOf(route: RouteHandler, guard: GuardDocumentation): Role | undefined {
  if (!guard.roleFromRoute) return guard.role;
  const named = (Reflect.getMetadata(REQUIRED_ROLE, route.handler) ??
    Reflect.getMetadata(REQUIRED_ROLE, route.controller)) as Role | undefined;
  return named ?? guard.role;
}

function addResponse(operation: OperationObject, status: number, description: string): void {
  const existing = operation.responses[status] as { description?: string } | undefined;
  if (existing?.description) return;
  operation.responses[status] = { ...existing, description };
}

/**
 * Completes one operation with what the code says and Nest's scanner does not read: the zod body and its 400,
 * the guards' security and their 401/403, the role, and the one error body every 4xx and 5xx carries.
 */
export function documentRoute(
  operation: OperationObject,
  route: RouteHandler,
  method: string,
  consoleSessions: boolean,
): DocumentedRoute {
  const documented: DocumentedRoute = { schemas: new Map(), schemes: {} };
  const body = zodBodyOf(route);
  if (body) {
    const name = bodyComponentName(route);
    documented.schemas.set(name, body);
    operation.requestBody = {
      required: !body.safeParse(undefined).success,
      content: { 'application/json': { schema: { $ref: COMPONENT_SCHEMAS + name } } },
    };
    addResponse(operation, 400, 'validation_failed: `issues` names every bad field');
  }
  const notes: string[] = [];
  for (const guard of guardsOf(route)) {
    const security = guard.security({ method, consoleSessions });
    operation.security = [...(operation.security ?? []), ...security];
    for (const name of security.flatMap(Object.keys)) documented.schemes[name] = guard.schemes[name]!;
    addResponse(operation, 401, 'missing or invalid credential');
    const role = roleOf(route, guard);
    if (role) {
      (operation as unknown as Record<string, unknown>)['x-surge-role'] = role;
      notes.push(`Needs an operator with role \`${role}\` or above.`);
      addResponse(
        operation,
        403,
        'the credential is valid but its role is too low, or a cookie change failed its Origin or CSRF check',
      );
    }
    if (guard.note) notes.push(guard.note);
  }
  if (notes.length > 0) operation.description = [operation.description, ...notes].filter(Boolean).join('\n\n');
  for (const [status, response] of Object.entries(operation.responses)) {
    const answer = response as { content?: unknown };
    if (Number(status) >= 400 && answer.content === undefined)
      answer.content = { 'application/json': { schema: { $ref: COMPONENT_SCHEMAS + ERROR_BODY } } };
  }
  return documented;
}

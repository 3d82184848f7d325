import type { Type } from '@nestjs/common';
import type { SecuritySchemeObject } from '@nestjs/swagger';
import type { Role } from '../operators/operator';

const GUARD_DOCUMENTATION = 'surge:openapi-guard';

export type SecurityRequirement = Record<string, string[]>;

/** What the document knows about the app a route runs in: whether it accepts the console's cookie. */
export interface RouteContext {
  method: string;
  consoleSessions: boolean;
}

/** How a guard authenticates, for the OpenAPI document: read from the guards a route really runs. */
export interface GuardDocumentation {
  schemes: Record<string, SecuritySchemeObject>;
  /** Alternatives: any one of them is enough. */
  security: (route: RouteContext) => SecurityRequirement[];
  /** The least role the guard asks for when the route names none. */
  role?: Role;
  /** Whether the route's @RequireRole overrides `role`. */
  roleFromRoute?: boolean;
  /** Said in every operation the guard protects: an exception to the rule (an open mode). */
  note?: string;
}

/** Declares how a guard authenticates, next to the guard itself, so the document follows the code. */
export function DocumentGuard(documentation: GuardDocumentation): ClassDecorator {
  return (target) => Reflect.defineMetadata(GUARD_DOCUMENTATION, documentation, target);
}

export function guardDocumentationOf(guard: unknown): GuardDocumentation | undefined {
  const type = (typeof guard === 'function' ? guard : (guard as object | null)?.constructor) as Type | undefined;
  return type ? (Reflect.getMetadata(GUARD_DOCUMENTATION, type) as GuardDocumentation | undefined) : undefined;
}

const SAFE_METHODS = new Set(['get', 'head', 'options']);

/**
 * The admin guard's credentials: an operator's bearer token anywhere; where the console is hosted, also its
 * session cookie, with the CSRF header on every change made with it.
 */
export const OPERATOR_AUTHENTICATION: Pick<GuardDocumentation, 'schemes' | 'security'> = {
  schemes: {
    operatorToken: {
      type: 'http',
      scheme: 'bearer',
      description: "An operator's token: from SURGE_OPERATORS_FILE, or SURGE_ADMIN_TOKEN as `admin`",
    },
    consoleSession: {
      type: 'apiKey',
      in: 'cookie',
      name: 'surge_session',
      description: 'The console session opened by POST /v1/session (only where the console is hosted)',
    },
    csrfToken: {
      type: 'apiKey',
      in: 'header',
      name: 'X-CSRF-Token',
      description: 'The csrfToken of the console session, on every change made with its cookie',
    },
  },
  security: ({ method, consoleSessions }) => {
    if (!consoleSessions) return [{ operatorToken: [] }];
    const cookie: SecurityRequirement = SAFE_METHODS.has(method)
      ? { consoleSession: [] }
      : { consoleSession: [], csrfToken: [] };
    return [{ operatorToken: [] }, cookie];
  },
};

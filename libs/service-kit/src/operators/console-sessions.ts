import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Operator } from './operator';

/**
 * Resolves the console's session cookie to its operator, or null when there is none or it has expired. It throws
 * (403) when a state-changing request fails the Origin or CSRF check.
 */
export interface SessionAuthenticator {
  authenticate(request: FastifyRequest): Promise<Operator | null>;
}

/**
 * The one place a session authenticator plugs into the admin guard. Only the process that hosts the console
 * registers one; in every other service nothing does, so a console cookie opens nothing there.
 */
@Injectable()
export class ConsoleSessions {
  private authenticator: SessionAuthenticator | null = null;

  register(authenticator: SessionAuthenticator): void {
    this.authenticator = authenticator;
  }

  get current(): SessionAuthenticator | null {
    return this.authenticator;
  }
}

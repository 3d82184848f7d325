import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { tokensMatch } from '@surge/service-kit';
import type { FastifyRequest } from 'fastify';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';

/**
 * Optional bearer token on the write endpoints. Prometheus sends it from its remote_write block
 * (`authorization: { credentials: ... }`); without SURGE_INGEST_TOKEN the endpoints are open, for a trusted network.
 */
@Injectable()
export class IngestTokenGuard implements CanActivate {
  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.SURGE_INGEST_TOKEN;
    if (!expected) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    if (header?.startsWith('Bearer ') && tokensMatch(header.slice(7).trim(), expected)) return true;
    throw new UnauthorizedException({
      error: 'unauthorized',
      message: header ? 'invalid ingest token' : 'missing Authorization: Bearer <SURGE_INGEST_TOKEN>',
    });
  }
}

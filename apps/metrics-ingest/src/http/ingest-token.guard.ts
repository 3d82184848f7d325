import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DocumentGuard, type SecurityRequirement } from '@surge/service-kit';
import { IngestCredentials, type IngestSource, OPEN_SOURCE } from '../auth/ingest-credentials';

const sources = new WeakMap<FastifyRequest, IngestSource>();

/** The source the guard authenticated for this request. */
export function sourceOf(request: FastifyRequest): IngestSource {
  const source = sources.get(request);
  if (!source) throw new Error('IngestTokenGuard did not run for this route');
  return source;
}

/**
 * The token a request presents: `Authorization: Bearer <token>`, or basic auth whose password is the token
 * (Prometheus remote_write sends `authorization: { credentials }` as the former, `basic_auth` as the latter; the
 * user name is free, the token alone says who the source is).
 */
function presentedToken(header: string | undefined): string | null {
  if (!header) return null;
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

/** Every write names its source with a credential; which targets it may write is checked once the body is read. */
@Injectable()
@DocumentGuard({
  schemes: {
    ingestToken: {
      type: 'http',
      scheme: 'bearer',
      description: 'An ingest token (SURGE_INGEST_TOKENS_FILE or SURGE_INGEST_TOKEN)',
    },
    ingestBasic: {
      type: 'http',
      scheme: 'basic',
      description: 'Prometheus basic_auth: any user name, the ingest token as password',
    },
  },
  security: (): SecurityRequirement[] => [{ ingestToken: [] }, { ingestBasic: [] }],
  note: 'Which targets a token may write is checked once the body is read (403 names the others). Open to anyone when SURGE_INGEST_OPEN is true and no credential is set.',
})
export class IngestTokenGuard implements CanActivate {
  constructor(@Inject(IngestCredentials) private readonly credentials: IngestCredentials) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.credentials.open) {
      sources.set(request, OPEN_SOURCE);
      return true;
    }
    const header = request.headers.authorization;
    const token = presentedToken(header);
    const source = token === null ? null : this.credentials.authenticate(token);
    if (source) {
      sources.set(request, source);
      return true;
    }
    throw new UnauthorizedException({
      error: 'unauthorized',
      message: header
        ? 'invalid ingest token'
        : 'missing credential: send Authorization: Bearer <token> (or basic auth with the token as password)',
    });
  }
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConsoleSessions } from '../operators/console-sessions';
import { buildOpenApiDocument, OPENAPI_PATH } from './openapi-document';

/**
 * Serves the app's OpenAPI document at GET /openapi.json. Built once, at boot, so a controller the generator
 * cannot describe stops the service before it listens rather than failing on the first request. Unauthenticated,
 * like /metrics: it tells what the API accepts, which its public clients must know, and nothing it holds.
 */
export function serveOpenApi(app: NestFastifyApplication, name: string): void {
  const document = buildOpenApiDocument(app, { name, consoleSessions: app.get(ConsoleSessions).current !== null });
  const body = JSON.stringify(document);
  app
    .getHttpAdapter()
    .getInstance()
    .get(OPENAPI_PATH, (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
}

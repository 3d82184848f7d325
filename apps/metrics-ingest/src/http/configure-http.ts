import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Remote-write bodies arrive as raw bytes: Fastify only parses JSON and text by itself. The body limit
 * (413) applies to them too, since it is set on the Fastify instance.
 */
export function configureIngestHttp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(
    ['application/x-protobuf', 'application/octet-stream'],
    { parseAs: 'buffer' },
    (_req, body, done) => done(null, body),
  );
}

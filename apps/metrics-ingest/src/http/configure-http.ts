import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * What Fastify must know before routes run: remote-write bodies arrive as raw bytes, and errors Fastify raises
 * itself (body too large, malformed JSON), which happen before Nest's exception filter is involved, get Surge's
 * one error shape `{ error, message }`.
 */
export function configureIngestHttp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(['application/x-protobuf', 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  fastify.setErrorHandler((error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    const code = status === 413 ? 'payload_too_large' : status < 500 ? 'bad_request' : 'internal_error';
    void reply.status(status).send({ error: code, message: status < 500 ? error.message : 'internal error' });
  });
}

import { ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IngestUnavailableError } from '../ingest/ingest.errors';

/** Maps "Kafka could not take it" to 503 + Retry-After, the one answer that makes every client retry later. */
export function rethrowAsUnavailable(error: unknown, reply: FastifyReply, retryAfterSeconds: number): never {
  if (!(error instanceof IngestUnavailableError)) throw error;
  void reply.header('Retry-After', String(retryAfterSeconds));
  throw new ServiceUnavailableException({
    error: error.code,
    message: `${error.message}; nothing of this batch is acknowledged, retry it`,
  });
}

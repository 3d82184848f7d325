import { HttpException, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IngestRefusedError, IngestUnavailableError } from '../ingest/ingest.errors';

/**
 * Maps "Kafka could not take it" to 503 + Retry-After, the one answer that makes every client retry later, and
 * a refusal of the batch itself (403, 413, 429) to its status with every bad field named.
 */
export function rethrowAsUnavailable(error: unknown, reply: FastifyReply, retryAfterSeconds: number): never {
  if (error instanceof IngestRefusedError) {
    if (error.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(error.retryAfterSeconds));
    throw new HttpException({ error: error.code, message: error.message, issues: error.issues }, error.status);
  }
  if (!(error instanceof IngestUnavailableError)) throw error;
  void reply.header('Retry-After', String(retryAfterSeconds));
  throw new ServiceUnavailableException({
    error: error.code,
    message: `${error.message}; nothing of this batch is acknowledged, retry it`,
  });
}

import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catchError, type Observable, throwError } from 'rxjs';
import { VQ_CONFIG, type VirtualQueueConfig } from '../config/virtual-queue.config';
import { RedisProvider } from '../redis/redis.provider';
import { RoomLayoutMismatch } from '../redis/room-layout';
import { QueueError, QueueErrorCode } from './queue.error';

/**
 * A queue error that says when to come back (a rate limit, a room being restored) sets Retry-After. An error
 * while Redis is not connected is an outage, not a bug: the visitor gets 503 with Retry-After, so the waiting
 * page tries again, instead of a 500 that reads as the sale being broken. So is a room stored in a layout this
 * release cannot read: during a rolling upgrade the next try may reach an instance of the newer release.
 */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  constructor(
    private readonly redis: RedisProvider,
    @Inject(VQ_CONFIG) private readonly config: VirtualQueueConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((caught: unknown) => {
        const retryAfter = this.config.VQ_UNAVAILABLE_RETRY_AFTER_SECONDS;
        const error =
          caught instanceof RoomLayoutMismatch
            ? new QueueError(QueueErrorCode.RoomLayoutUnknown, caught.message, retryAfter)
            : !(caught instanceof HttpException) && this.redis.client.status !== 'ready'
              ? new QueueError(
                  QueueErrorCode.StoreUnavailable,
                  'the waiting room cannot reach its store right now; try again shortly',
                  retryAfter,
                )
              : caught;
        if (error instanceof QueueError && error.retryAfterSeconds) {
          const reply = context.switchToHttp().getResponse<FastifyReply>();
          void reply.header('Retry-After', String(error.retryAfterSeconds));
        }
        return throwError(() => error);
      }),
    );
  }
}

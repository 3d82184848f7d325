import { Logger } from '@nestjs/common';
import type { EachBatchPayload } from 'kafkajs';
import type { MessageContext } from './consumer-options';
import { failureKindOf } from './handling-failure';
import { retryDelayMs } from './retry-backoff';
import type { RetryingPartition } from './running-consumer';

/** Work that cannot finish before shutdown or a rebalance is left uncommitted, so the next owner redelivers it. */
export class ConsumerStopped extends Error {}

export type RetryPayload = Pick<EachBatchPayload, 'heartbeat' | 'isRunning' | 'isStale'>;

/** The partitions of one consumer whose message is being retried, for readiness and the logs. */
export class RetryTracker {
  private readonly logger: Logger;
  private readonly byPartition = new Map<string, RetryingPartition>();

  constructor(groupId: string) {
    this.logger = new Logger(`KafkaConsumer ${groupId}`);
  }

  all(): RetryingPartition[] {
    return [...this.byPartition.values()];
  }

  failed(ctx: MessageContext, attempts: number, error: unknown, nextDelayMs: number): void {
    const key = `${ctx.topic}:${ctx.partition}`;
    const message = error instanceof Error ? error.message : String(error);
    const since = this.byPartition.get(key)?.since ?? Date.now();
    this.byPartition.set(key, {
      topic: ctx.topic,
      partition: ctx.partition,
      offset: ctx.offset,
      attempts,
      since,
      error: message,
    });
    // Every attempt of a long outage would flood the log: the first, then each power of two.
    if ((attempts & (attempts - 1)) === 0)
      this.logger.warn(
        `${key}@${ctx.offset} waits for a dependency (attempt ${attempts}, next in ${nextDelayMs} ms): ${message}`,
      );
  }

  settled(ctx: MessageContext, attempts: number, handled: boolean): void {
    const key = `${ctx.topic}:${ctx.partition}`;
    if (this.byPartition.delete(key) && handled)
      this.logger.log(`${key}@${ctx.offset} handled after ${attempts} attempts; going on in order`);
  }
}

export interface HandledOutcome {
  /** The permanent failure, when the work can never succeed; null once it succeeded. */
  permanent: unknown;
  attempts: number;
}

/**
 * Runs the work until it succeeds or fails permanently. A transient failure (the default for any error) waits
 * with capped exponential backoff and heartbeats, for as long as it takes: the message is neither committed nor
 * skipped, so once the dependency is back the partition goes on in order.
 */
export async function untilHandled(
  payload: RetryPayload,
  tracker: RetryTracker,
  ctx: MessageContext,
  baseDelayMs: number,
  work: () => Promise<void>,
): Promise<HandledOutcome> {
  let attempts = 0;
  let handled = false;
  try {
    for (;;) {
      if (!payload.isRunning() || payload.isStale()) throw new ConsumerStopped();
      attempts += 1;
      try {
        await work();
        handled = true;
        return { permanent: null, attempts };
      } catch (error) {
        if (failureKindOf(error) === 'permanent') {
          handled = true;
          return { permanent: error, attempts };
        }
        const delay = retryDelayMs(attempts, baseDelayMs);
        tracker.failed(ctx, attempts, error, delay);
        await new Promise((resolve) => setTimeout(resolve, delay));
        await payload.heartbeat();
      }
    }
  } finally {
    tracker.settled(ctx, attempts, handled);
  }
}

import { ContractViolation, type DeadLetterReason } from '@surge/contracts';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { ZodError } from 'zod';
import type {
  BaseConsumerOptions,
  BatchConsumerOptions,
  Decoded,
  MessageConsumerOptions,
  MessageContext,
  RunningConsumer,
} from './consumer-options';
import { deadLetterRecordFor, sendToDeadLetter } from './dead-letter';

class ConsumerStopped extends Error {}

function contextOf(topic: string, partition: number, message: KafkaMessage): MessageContext {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    timestamp: Number(message.timestamp),
    message,
  };
}

function reasonFor(error: unknown): DeadLetterReason {
  if (error instanceof SyntaxError) return 'invalid-json';
  if (error instanceof ContractViolation || error instanceof ZodError) return 'schema-violation';
  return 'handler-failed';
}

type Payload = Pick<EachBatchPayload, 'heartbeat' | 'isRunning' | 'isStale'>;

async function withRetries(
  options: BaseConsumerOptions<unknown>,
  payload: Payload,
  work: () => Promise<void>,
): Promise<unknown> {
  const attempts = Math.max(1, options.retries ?? 3);
  const baseDelay = options.retryDelayMs ?? 100;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(baseDelay * 2 ** (attempt - 1), 5000)));
      await payload.heartbeat();
    }
    // Work that cannot finish before shutdown is left uncommitted, so another member redelivers it.
    if (!payload.isRunning() || payload.isStale()) throw new ConsumerStopped();
    try {
      await work();
      return null;
    } catch (error) {
      lastError = error;
    }
  }
  return lastError ?? new Error('handler failed');
}

async function deadLetter<T>(options: BaseConsumerOptions<T>, ctx: MessageContext, error: unknown, attempts: number) {
  const record = deadLetterRecordFor(
    { topic: ctx.topic, partition: ctx.partition, message: ctx.message },
    options.groupId,
    reasonFor(error),
    error,
    attempts,
  );
  await sendToDeadLetter(options.producer, options.deadLetterTopic, record);
  options.metrics?.countDeadLetter(record);
  options.onDeadLetter?.(record);
}

function tryDecode<T>(
  options: BaseConsumerOptions<T>,
  ctx: MessageContext,
): { ok: true; item: T } | { ok: false; error: unknown } {
  try {
    if (!ctx.message.value) throw new SyntaxError('empty message value');
    return { ok: true, item: options.decode(ctx.message.value, ctx) };
  } catch (error) {
    return { ok: false, error };
  }
}

async function start<T>(
  options: BaseConsumerOptions<T>,
  eachBatch: (payload: EachBatchPayload) => Promise<void>,
): Promise<RunningConsumer> {
  const consumer: Consumer = options.kafka.consumer({
    groupId: options.groupId,
    maxWaitTimeInMs: options.maxWaitTimeInMs ?? 100,
    minBytes: 1,
    sessionTimeout: 10_000,
    rebalanceTimeout: 15_000,
    heartbeatInterval: 1_000,
    allowAutoTopicCreation: false,
  });
  const lagByPartition = new Map<string, { topic: string; lag: number }>();
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    autoCommit: true,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
    eachBatch: async (payload) => {
      try {
        await eachBatch(payload);
      } catch (error) {
        if (!(error instanceof ConsumerStopped)) throw error;
      }
      const { batch } = payload;
      lagByPartition.set(`${batch.topic}:${batch.partition}`, { topic: batch.topic, lag: Number(batch.offsetLag()) });
    },
  });
  const running: RunningConsumer = {
    groupId: options.groupId,
    stop: async () => {
      options.metrics?.unwatch(running);
      await consumer.disconnect();
    },
    lag: () => [...lagByPartition.values()].reduce((sum, entry) => sum + entry.lag, 0),
    lagByTopic: () => {
      const byTopic = new Map<string, number>();
      for (const { topic, lag } of lagByPartition.values()) byTopic.set(topic, (byTopic.get(topic) ?? 0) + lag);
      return byTopic;
    },
  };
  options.metrics?.watch(running);
  return running;
}

/**
 * Consumes message by message. The offset of a message is resolved only once it was handled or parked on
 * the dead-letter topic, so a crash redelivers it rather than losing it.
 */
export function runConsumer<T>(options: MessageConsumerOptions<T>): Promise<RunningConsumer> {
  return start(options, async (payload) => {
    const { batch } = payload;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) return;
      const ctx = contextOf(batch.topic, batch.partition, message);
      const started = performance.now();
      const decoded = tryDecode(options, ctx);
      if (!decoded.ok) {
        await deadLetter(options, ctx, decoded.error, 1);
      } else {
        const error = await withRetries(options as BaseConsumerOptions<unknown>, payload, () =>
          options.handle(decoded.item, ctx),
        );
        if (error) await deadLetter(options, ctx, error, Math.max(1, options.retries ?? 3));
      }
      payload.resolveOffset(message.offset);
      options.onHandled?.(ctx, performance.now() - started);
    }
    await payload.heartbeat();
  });
}

/**
 * Consumes a fetched batch of one partition as a unit, for sinks that write in bulk. When the batch keeps
 * failing, each item is tried alone so that one poisoned record is dead-lettered instead of the whole batch.
 */
export function runBatchConsumer<T>(options: BatchConsumerOptions<T>): Promise<RunningConsumer> {
  return start(options, async (payload) => {
    const { batch } = payload;
    const items: Decoded<T>[] = [];
    for (const message of batch.messages) {
      const ctx = contextOf(batch.topic, batch.partition, message);
      const decoded = tryDecode(options, ctx);
      if (decoded.ok) items.push({ item: decoded.item, ctx });
      else await deadLetter(options, ctx, decoded.error, 1);
    }
    const base = options as BaseConsumerOptions<unknown>;
    const started = performance.now();
    if (items.length > 0) {
      const error = await withRetries(base, payload, () => options.handleBatch(items));
      if (error) {
        for (const entry of items) {
          const itemError = await withRetries({ ...base, retries: 1 }, payload, () => options.handleBatch([entry]));
          if (itemError) await deadLetter(options, entry.ctx, itemError, Math.max(1, options.retries ?? 3) + 1);
        }
      }
    }
    const last = batch.messages[batch.messages.length - 1];
    if (last) payload.resolveOffset(last.offset);
    for (const entry of items) options.onHandled?.(entry.ctx, performance.now() - started);
    await payload.heartbeat();
  });
}

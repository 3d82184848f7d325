import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type {
  BaseConsumerOptions,
  BatchConsumerOptions,
  Decoded,
  MessageConsumerOptions,
  MessageContext,
} from './consumer-options';
import { deadLetterRecordFor, sendToDeadLetter } from './dead-letter';
import { deadLetterReasonOf, PermanentFailure } from './handling-failure';
import { ConsumerStopped, RetryTracker, untilHandled } from './retry-until-handled';
import type { RunningConsumer } from './running-consumer';

const logger = new Logger('KafkaConsumer');
const DEFAULT_RETRY_DELAY_MS = 100;

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

async function deadLetter<T>(options: BaseConsumerOptions<T>, ctx: MessageContext, error: unknown, attempts: number) {
  const record = deadLetterRecordFor(
    { topic: ctx.topic, partition: ctx.partition, message: ctx.message },
    options.groupId,
    deadLetterReasonOf(error),
    error,
    attempts,
  );
  options.metrics?.countDeadLetter(record);
  // A dead letter that cannot be handled stays where it is, on the dead-letter topic: parking it there again
  // would only loop (a reader of that topic failing on its own records would feed itself).
  if (ctx.topic === options.deadLetterTopic) {
    logger.error(`${options.groupId}: dead letter ${ctx.partition}@${ctx.offset} cannot be handled: ${record.error}`);
    return;
  }
  await sendToDeadLetter(options.producer, options.deadLetterTopic, record);
  options.onDeadLetter?.(record);
}

function tryDecode<T>(
  options: BaseConsumerOptions<T>,
  ctx: MessageContext,
): { ok: true; item: T } | { ok: false; error: unknown } {
  try {
    const value = ctx.message.value ?? (options.decodeTombstones ? Buffer.alloc(0) : null);
    if (!value) throw new SyntaxError('empty message value');
    return { ok: true, item: options.decode(value, ctx) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Checks the signature of a message of a signed topic before it is even decoded: a refused one is counted and
 * handed to onRefused, or dead-lettered with reason `signature`, and never reaches the handler.
 */
async function admitted<T>(options: BaseConsumerOptions<T>, ctx: MessageContext): Promise<boolean> {
  const verifier = options.verifiers?.get(ctx.topic);
  if (!verifier) return true;
  const verdict = verifier.verify(ctx.message.value, ctx.message.headers);
  if (verdict.ok) return true;
  options.metrics?.countRefused(ctx.topic, verdict.reason);
  logger.warn(`${options.groupId}: ${ctx.topic} ${ctx.partition}@${ctx.offset} refused: ${verdict.reason} signature`);
  const answered = options.onRefused ? await options.onRefused(ctx, verdict.reason) : false;
  if (!answered)
    await deadLetter(options, ctx, new PermanentFailure(`signature refused: ${verdict.reason}`, 'signature'), 1);
  return false;
}

type BatchWork = (payload: EachBatchPayload, tracker: RetryTracker) => Promise<void>;

async function start<T>(options: BaseConsumerOptions<T>, eachBatch: BatchWork): Promise<RunningConsumer> {
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
  const tracker = new RetryTracker(options.groupId);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
      eachBatch: async (payload) => {
        try {
          await eachBatch(payload, tracker);
        } catch (error) {
          if (!(error instanceof ConsumerStopped)) throw error;
        }
        const { batch } = payload;
        lagByPartition.set(`${batch.topic}:${batch.partition}`, { topic: batch.topic, lag: Number(batch.offsetLag()) });
      },
    });
  } catch (error) {
    // A start that failed half-way leaves no connection behind: the caller may start again.
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
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
    retrying: () => tracker.all(),
  };
  options.metrics?.watch(running);
  return running;
}

/**
 * Consumes message by message. The offset of a message is resolved only once it was handled or, failing
 * permanently, parked on the dead-letter topic; a transient failure holds the partition at that message.
 */
export function runConsumer<T>(options: MessageConsumerOptions<T>): Promise<RunningConsumer> {
  const delay = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  return start(options, async (payload, tracker) => {
    const { batch } = payload;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) return;
      const ctx = contextOf(batch.topic, batch.partition, message);
      const started = performance.now();
      if (!(await admitted(options, ctx))) {
        payload.resolveOffset(message.offset);
        // A reader waiting to reach a position (the control replay) must see it passed, refused or not.
        options.onHandled?.(ctx, performance.now() - started);
        continue;
      }
      const decoded = tryDecode(options, ctx);
      if (!decoded.ok) {
        await deadLetter(options, ctx, decoded.error, 1);
      } else {
        const outcome = await untilHandled(payload, tracker, ctx, delay, () => options.handle(decoded.item, ctx));
        if (outcome.permanent) await deadLetter(options, ctx, outcome.permanent, outcome.attempts);
      }
      payload.resolveOffset(message.offset);
      options.onHandled?.(ctx, performance.now() - started);
    }
    await payload.heartbeat();
  });
}

/**
 * Consumes a fetched batch of one partition as a unit, for sinks that write in bulk. A transient failure retries
 * the whole batch until the dependency is back. A permanent one has each item tried alone, in order, so that
 * only the poisoned record is dead-lettered (and an item failing transiently then is retried, not skipped).
 */
export function runBatchConsumer<T>(options: BatchConsumerOptions<T>): Promise<RunningConsumer> {
  const delay = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  return start(options, async (payload, tracker) => {
    const { batch } = payload;
    const items: Decoded<T>[] = [];
    // A batch is of one topic: an unsigned one costs its messages no check and no await each.
    const signed = options.verifiers?.has(batch.topic) ?? false;
    for (const message of batch.messages) {
      const ctx = contextOf(batch.topic, batch.partition, message);
      if (signed && !(await admitted(options, ctx))) continue;
      const decoded = tryDecode(options, ctx);
      if (decoded.ok) items.push({ item: decoded.item, ctx });
      else await deadLetter(options, ctx, decoded.error, 1);
    }
    const started = performance.now();
    if (items.length > 0) {
      const whole = await untilHandled(payload, tracker, items[0]!.ctx, delay, () => options.handleBatch(items));
      if (whole.permanent) {
        for (const entry of items) {
          const alone = await untilHandled(payload, tracker, entry.ctx, delay, () => options.handleBatch([entry]));
          if (alone.permanent) await deadLetter(options, entry.ctx, alone.permanent, whole.attempts + alone.attempts);
          payload.resolveOffset(entry.ctx.offset);
        }
      }
    }
    const last = batch.messages[batch.messages.length - 1];
    if (last) payload.resolveOffset(last.offset);
    for (const entry of items) options.onHandled?.(entry.ctx, performance.now() - started);
    await payload.heartbeat();
  });
}

import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { type ControlEvent, controlEvent } from '@surge/contracts';
import { jsonDecoder, type KafkaConsumers, type RunningConsumer } from '@surge/kafka';
import type { Kafka } from 'kafkajs';

export interface ControlIntentReaderOptions {
  /** The host's Kafka client (KAFKA_CLIENT): its admin reads where the topic ends before the replay. */
  kafka: Kafka;
  /** The host's consumers (KafkaConsumers): the producer, dead-letter topic and metrics are the module's. */
  consumers: Pick<KafkaConsumers, 'run'>;
  topic: string;
  /** The reader's group is this prefix and a random suffix: a fresh group each start, so it always replays. */
  groupPrefix: string;
  /** Called for every control event, in each scope's order; the caller folds it with `reduceControl`. */
  onEvent: (event: ControlEvent) => void;
}

class ReaderStopped extends Error {}

/**
 * Reads the whole control topic from the beginning, then follows it. `start()` resolves only once every record
 * that was on the topic when it began has been applied, so a restarted service never acts before it knows
 * the pause that is in force.
 */
export class ControlIntentReader {
  private readonly logger = new Logger(ControlIntentReader.name);
  private consumer: RunningConsumer | null = null;
  private caughtUp = false;
  private stopped = false;
  private abort: ((error: Error) => void) | null = null;

  constructor(private readonly options: ControlIntentReaderOptions) {}

  isCaughtUp(): boolean {
    return this.caughtUp;
  }

  async start(): Promise<void> {
    const { kafka, consumers, topic } = this.options;
    const started = performance.now();
    const pending = await lastOffsets(kafka, topic);
    let events = 0;
    const done = new Promise<void>((resolve, reject) => {
      this.abort = reject;
      const check = () => {
        if (pending.size === 0) resolve();
      };
      check();
      void consumers
        .run<ControlEvent>({
          groupId: `${this.options.groupPrefix}-control-${randomUUID().slice(0, 8)}`,
          topics: [topic],
          fromBeginning: true,
          decode: jsonDecoder('controlEvent', controlEvent),
          handle: async (event) => {
            events += 1;
            this.options.onEvent(event);
          },
          // Called after each record, handled or dead-lettered alike: the position is what counts.
          onHandled: (ctx) => {
            const last = pending.get(ctx.partition);
            if (last !== undefined && BigInt(ctx.offset) >= last) {
              pending.delete(ctx.partition);
              check();
            }
          },
        })
        .then((consumer) => {
          if (this.stopped)
            void consumer
              .stop()
              .catch((error: Error) => this.logger.warn(`cannot stop the intent consumer: ${error.message}`));
          else this.consumer = consumer;
        }, reject);
    });
    await done;
    this.abort = null;
    this.caughtUp = true;
    this.logger.log(
      `control intent read from ${topic}: ${events} events in ${Math.round(performance.now() - started)} ms`,
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.(new ReaderStopped('stopped before the control topic was read'));
    this.caughtUp = false;
    await this.consumer?.stop();
    this.consumer = null;
  }
}

/**
 * The offset of the last record of each partition that holds any, as seen now. Surge's producers write no
 * transactions, so that offset is a record the consumer sees (no commit marker), and compaction never removes
 * the last record of a partition.
 */
async function lastOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await fetchOffsetsOnceLed(admin, topic);
    return new Map(
      offsets
        .filter((partition) => BigInt(partition.high) > BigInt(partition.low))
        .map((partition) => [partition.partition, BigInt(partition.high) - 1n]),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * A topic created or altered a moment ago may not have its leader known to every broker yet; the listOffsets
 * answer is then NOT_LEADER, which kafkajs's admin does not retry. Asking again after refreshing the metadata is
 * the fix, bounded so a broker that stays wrong still fails the start.
 */
async function fetchOffsetsOnceLed(
  admin: ReturnType<Kafka['admin']>,
  topic: string,
  attempts = 20,
): ReturnType<ReturnType<Kafka['admin']>['fetchTopicOffsets']> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
      await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
    }
  }
}

import type { DeadLetterRecord } from '@surge/contracts';
import type { MessageVerifier, RefusalReason } from '@surge/signing';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { ConsumerMetrics } from './consumer-metrics';
import type { SurgeProducer } from './surge-producer';

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The record's Kafka timestamp, epoch ms. */
  timestamp: number;
  message: KafkaMessage;
}

export interface Decoded<T> {
  item: T;
  ctx: MessageContext;
}

/** What a consumer is wired to: the Kafka module's KafkaConsumers fills these in from the app's client and config. */
export interface ConsumerWiring {
  kafka: Kafka;
  producer: SurgeProducer;
  deadLetterTopic: string;
  /** The app's shared consumer metrics: this consumer's lag and dead letters are exported there. */
  metrics?: ConsumerMetrics;
  /** By topic name: messages of these topics are handled only with a valid signature (the module's policy). */
  verifiers?: ReadonlyMap<string, MessageVerifier>;
}

/** What a consumer does: its group, topics, decoding and retry policy. */
export interface ConsumerSettings<T> {
  groupId: string;
  topics: string[];
  /** Turns the raw bytes into a validated item; a throw sends the message straight to the dead-letter topic. */
  decode: (value: Buffer, ctx: MessageContext) => T;
  /**
   * A tombstone (a record without a value) is decoded as zero bytes instead of being dead-lettered, for a reader that
   * must keep every record, dead letters included, where a dead letter that cannot be handled would be lost (the audit).
   */
  decodeTombstones?: boolean;
  /**
   * The first wait before a transient failure is retried, doubled per attempt up to MAX_RETRY_DELAY_MS. A
   * transient failure is retried for as long as it takes; only a PermanentFailure is dead-lettered.
   */
  retryDelayMs?: number;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  /**
   * The broker answers a fetch as soon as one byte is ready (minBytes 1), so this only bounds how long an idle
   * fetch waits. kafkajs's 5 s default would still delay the loop after rebalances and stops; 100 ms keeps idle
   * cost at ten fetches a second while new records are returned at once.
   */
  maxWaitTimeInMs?: number;
  onDeadLetter?: (record: DeadLetterRecord) => void;
  /**
   * What to do with a message whose signature is refused, before it would be dead-lettered with reason
   * `signature`: an executor answers a forged decision with a `rejected` result so that the audit trail shows it.
   * Resolves true when it answered the message, false to dead-letter it all the same (a value it cannot answer).
   * A throw holds the partition and is retried like any transient failure.
   */
  onRefused?: (ctx: MessageContext, reason: RefusalReason) => Promise<boolean>;
  /** After each message, handled, dead-lettered or refused alike: its position has been passed. */
  onHandled?: (ctx: MessageContext, durationMs: number) => void;
}

export interface BaseConsumerOptions<T> extends ConsumerWiring, ConsumerSettings<T> {}

export interface MessageHandler<T> {
  handle: (item: NoInfer<T>, ctx: MessageContext) => Promise<void>;
}

export interface BatchHandler<T> {
  /** Handles every valid item of one fetched batch of one partition, in offset order. */
  handleBatch: (items: Decoded<NoInfer<T>>[]) => Promise<void>;
}

export interface MessageConsumerOptions<T> extends BaseConsumerOptions<T>, MessageHandler<T> {}

export interface BatchConsumerOptions<T> extends BaseConsumerOptions<T>, BatchHandler<T> {}

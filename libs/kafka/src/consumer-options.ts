import type { DeadLetterRecord } from '@surge/contracts';
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

export interface BaseConsumerOptions<T> {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  producer: SurgeProducer;
  deadLetterTopic: string;
  /** Turns the raw bytes into a validated item; a throw sends the message straight to the dead-letter topic. */
  decode: (value: Buffer, ctx: MessageContext) => T;
  /** Attempts of the handler before the message is dead-lettered. */
  retries?: number;
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
  /** The app's shared consumer metrics: this consumer's lag and dead letters are exported there. */
  metrics?: ConsumerMetrics;
  onHandled?: (ctx: MessageContext, durationMs: number) => void;
}

export interface MessageConsumerOptions<T> extends BaseConsumerOptions<T> {
  handle: (item: NoInfer<T>, ctx: MessageContext) => Promise<void>;
}

export interface BatchConsumerOptions<T> extends BaseConsumerOptions<T> {
  /** Handles every valid item of one fetched batch of one partition, in offset order. */
  handleBatch: (items: Decoded<NoInfer<T>>[]) => Promise<void>;
}

export interface RunningConsumer {
  readonly groupId: string;
  /** Stops fetching, lets in-flight work finish, commits what was handled and leaves the group. */
  stop(): Promise<void>;
  /** Sum over assigned partitions of (high watermark - committed offset), refreshed on each batch. */
  lag(): number;
  /** The same lag summed per topic, for the `surge_consumer_lag{group,topic}` gauge. */
  lagByTopic(): Map<string, number>;
}

import type { KafkaConsumers, RunningConsumer } from '@surge/kafka';
import type { MetricsRegistry } from '@surge/service-kit';
import { Counter } from 'prom-client';

/** What sets one of the engine's small consumers apart: its group, its topic, its decoding and its handling. */
export interface CountedTopic<T> {
  /** A group of its own per topic: these records need not follow the samples' partitioning. */
  groupId: string;
  topic: string;
  decode: (value: Buffer) => T;
  /** The counter of records handled, and what it counts. */
  counter: { name: string; help: string };
  /** Handles one record; false for one passed over, which is not counted. */
  handle: (record: T) => Promise<boolean>;
}

/**
 * One of the engine's consumers beside the samples: a topic read in a group of its own, each record handled once
 * decoded and counted. Started once, stopped with the engine.
 */
export abstract class CountedTopicConsumer<T> {
  private consumer: RunningConsumer | null = null;
  private readonly handled: Counter;

  protected constructor(
    private readonly consumers: KafkaConsumers,
    registry: MetricsRegistry,
    private readonly topic: CountedTopic<T>,
  ) {
    this.handled = new Counter({ ...topic.counter, registers: [registry.registry] });
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    this.consumer = await this.consumers.run<T>({
      groupId: this.topic.groupId,
      topics: [this.topic.topic],
      decode: this.topic.decode,
      handle: async (record) => {
        if (await this.topic.handle(record)) this.handled.inc();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }
}

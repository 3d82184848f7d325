import { Inject, Injectable, Logger, type OnModuleDestroy, Optional } from '@nestjs/common';
import type { Topics } from '@surge/contracts';
import { HealthRegistry, MetricsRegistry } from '@surge/service-kit';
import type { Kafka } from 'kafkajs';
import { type ConsumerMetrics, consumerMetricsFor } from './consumer-metrics';
import type { BatchHandler, ConsumerSettings, ConsumerWiring, MessageHandler } from './consumer-options';
import { KafkaConnection } from './kafka-connection.service';
import { KAFKA_CLIENT, KAFKA_TOPICS, SIGNING_POLICY } from './kafka.tokens';
import { retryDelayMs } from './retry-backoff';
import { runBatchConsumer, runConsumer } from './run-consumer';
import type { RunningConsumer } from './running-consumer';
import type { SigningPolicy } from './signing-policy';
import { SurgeProducer } from './surge-producer';

/** The module wires client and producer; a caller may still name its own dead-letter topic or metrics. */
type Overridable = Partial<Pick<ConsumerWiring, 'deadLetterTopic' | 'metrics'>>;
export interface ModuleConsumerOptions<T> extends ConsumerSettings<T>, MessageHandler<T>, Overridable {}
export interface ModuleBatchConsumerOptions<T> extends ConsumerSettings<T>, BatchHandler<T>, Overridable {}

/**
 * Starts the app's consumers on the module's client, producer, dead-letter topic and consumer metrics, and stops
 * them all in onModuleDestroy: each stops fetching, lets its in-flight work finish, commits and leaves its group,
 * before KafkaConnection flushes the producer their handlers and dead letters write through.
 *
 * A consumer that cannot join yet (Kafka down at boot) is started again with backoff until it joins, and a
 * consumer holding a partition at a message whose dependency is down keeps retrying it: in both cases the app
 * stays up and reports not-ready (the `kafka-consumers` check) until it goes on.
 */
@Injectable()
export class KafkaConsumers implements OnModuleDestroy {
  private readonly logger = new Logger(KafkaConsumers.name);
  private readonly metrics?: ConsumerMetrics;
  private readonly running = new Set<RunningConsumer>();
  private readonly starting = new Set<Promise<RunningConsumer>>();
  private stopping = false;
  private checkRegistered = false;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    private readonly producer: SurgeProducer,
    @Inject(SIGNING_POLICY) private readonly signing: SigningPolicy,
    @Optional() metricsRegistry?: MetricsRegistry,
    @Optional() private readonly connection?: KafkaConnection,
    @Optional() private readonly health?: HealthRegistry,
  ) {
    this.metrics = metricsRegistry ? consumerMetricsFor(metricsRegistry.registry) : undefined;
  }

  /** Not ready while a consumer is still joining, or holds a partition until a dependency comes back. */
  private check(): void {
    if (this.starting.size > 0) throw new Error(`${this.starting.size} consumer(s) not started yet`);
    const retrying = [...this.running].flatMap((c) => c.retrying().map((r) => ({ groupId: c.groupId, ...r })));
    if (retrying.length === 0) return;
    const first = retrying[0]!;
    throw new Error(
      `${retrying.length} partition(s) waiting for a dependency; ${first.groupId} ${first.topic}:${first.partition}@${first.offset} ` +
        `since ${new Date(first.since).toISOString()} (${first.attempts} attempts): ${first.error}`,
    );
  }

  /** Consumes message by message (runConsumer). */
  run<T>(options: ModuleConsumerOptions<T>): Promise<RunningConsumer> {
    return this.start(() => runConsumer<T>({ ...this.defaults(), ...options }));
  }

  /** Consumes a fetched batch of one partition as a unit (runBatchConsumer). */
  runBatch<T>(options: ModuleBatchConsumerOptions<T>): Promise<RunningConsumer> {
    return this.start(() => runBatchConsumer<T>({ ...this.defaults(), ...options }));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    // A consumer still joining its group is stopped as soon as it has joined.
    await Promise.allSettled([...this.starting]);
    const running = [...this.running];
    if (running.length > 0) this.logger.log(`stopping ${running.map((c) => c.groupId).join(', ')}`);
    // Concurrently: each consumer's stop waits only for its own in-flight work.
    await Promise.all(running.map((consumer) => consumer.stop()));
  }

  private defaults(): ConsumerWiring {
    return {
      kafka: this.kafka,
      producer: this.producer,
      deadLetterTopic: this.topics.deadLetter,
      metrics: this.metrics,
      verifiers: this.signing.verifiers,
    };
  }

  private async start(run: () => Promise<RunningConsumer>): Promise<RunningConsumer> {
    if (this.stopping) throw new Error('the app is shutting down: no consumer is started');
    // Registered with the first consumer, so an app that only produces (ingest) reports no consumer check.
    if (!this.checkRegistered) this.health?.register('kafka-consumers', () => this.check());
    this.checkRegistered = true;
    const starting = this.startUntilJoined(run);
    this.starting.add(starting);
    try {
      return this.track(await starting);
    } finally {
      this.starting.delete(starting);
    }
  }

  /** Kafka being down is waited for, as long as it takes; only shutdown ends the attempts. */
  private async startUntilJoined(run: () => Promise<RunningConsumer>): Promise<RunningConsumer> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        // Polled rather than awaited: shutdown (which waits for this start) must end the wait even if Kafka stays down.
        while (this.connection && !this.connection.isConnected && !this.stopping)
          await new Promise((resolve) => setTimeout(resolve, 250));
        if (this.stopping) throw new Error('the app is shutting down: no consumer is started');
        return await run();
      } catch (error) {
        if (this.stopping) throw error;
        const delay = retryDelayMs(attempt, 500);
        this.logger.warn(`consumer not started (${(error as Error).message}); trying again in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** The caller may stop its consumer earlier; the stop runs once either way. */
  private track(consumer: RunningConsumer): RunningConsumer {
    let stopped: Promise<void> | undefined;
    const tracked: RunningConsumer = {
      groupId: consumer.groupId,
      lag: () => consumer.lag(),
      lagByTopic: () => consumer.lagByTopic(),
      retrying: () => consumer.retrying(),
      stop: () => {
        this.running.delete(tracked);
        stopped ??= consumer.stop();
        return stopped;
      },
    };
    this.running.add(tracked);
    return tracked;
  }
}

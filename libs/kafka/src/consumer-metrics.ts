import type { DeadLetterRecord } from '@surge/contracts';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { RunningConsumer } from './running-consumer';

/**
 * The consumer metrics every Surge service exports under the same names, so one dashboard panel and one alert
 * cover them all: `surge_consumer_lag{group,topic}` and `surge_dead_letters_total{topic,reason}`.
 * Pass it as `metrics` to runConsumer/runBatchConsumer; get it with `consumerMetricsFor(registry)`.
 */
export class ConsumerMetrics {
  private readonly watched = new Set<RunningConsumer>();
  private readonly deadLetters: Counter<'topic' | 'reason'>;
  private readonly refused: Counter<'topic' | 'reason'>;

  constructor(registry: Registry) {
    const watched = this.watched;
    new Gauge({
      name: 'surge_consumer_lag',
      help: 'Records behind the high watermark (committed offset to high watermark), over assigned partitions',
      labelNames: ['group', 'topic'],
      registers: [registry],
      collect() {
        // Reset first: a stopped consumer or a topic no longer assigned must not keep its last value forever.
        this.reset();
        for (const consumer of watched) {
          for (const [topic, lag] of consumer.lagByTopic()) this.set({ group: consumer.groupId, topic }, lag);
        }
      },
    });
    // The source topic, not the dead-letter topic: all consumers share one dead-letter topic.
    this.deadLetters = new Counter({
      name: 'surge_dead_letters_total',
      help: 'Records parked on the dead-letter topic, by the topic they were consumed from and why',
      labelNames: ['topic', 'reason'],
      registers: [registry],
    });
    this.refused = new Counter({
      name: 'surge_signatures_refused_total',
      help: 'Steering messages refused for their signature (unsigned, unknown-key, bad-signature), by topic',
      labelNames: ['topic', 'reason'],
      registers: [registry],
    });
  }

  watch(consumer: RunningConsumer): void {
    this.watched.add(consumer);
  }

  unwatch(consumer: RunningConsumer): void {
    this.watched.delete(consumer);
  }

  countRefused(topic: string, reason: string): void {
    this.refused.inc({ topic, reason });
  }

  countDeadLetter(record: DeadLetterRecord): void {
    this.deadLetters.inc({ topic: record.source.topic, reason: record.reason });
  }
}

const byRegistry = new WeakMap<Registry, ConsumerMetrics>();

/** One instance per registry: prom-client refuses a second metric of the same name on a registry. */
export function consumerMetricsFor(registry: Registry): ConsumerMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = new ConsumerMetrics(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}

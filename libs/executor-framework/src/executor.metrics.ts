import type { ActionResult } from '@surge/contracts';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Actions by status and kind, how long an action took, and whether the executor is paused, for /metrics.
 * Consumer lag and dead letters are the Kafka module's (KafkaConsumers), under the names every service shares.
 */
export class ExecutorMetrics {
  private readonly actions: Counter<'status' | 'kind'>;
  private readonly duration: Histogram<'status' | 'kind'>;
  private readonly observeFailures: Counter<'kind'>;
  private readonly observedPublishFailures: Counter;

  /** `isPaused` reads the global pause; an executor has no per-policy pause (the rules engine owns those). */
  constructor(registry: Registry, isPaused: () => boolean = () => false) {
    this.actions = new Counter({
      name: 'surge_actions_total',
      help: 'Final action results by status and target kind',
      labelNames: ['status', 'kind'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'surge_executor_action_duration_seconds',
      help: 'Time from picking a decision up to its final result',
      labelNames: ['status', 'kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.observeFailures = new Counter({
      name: 'surge_executor_observe_failures_total',
      help: 'Failed reads of observed state',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.observedPublishFailures = new Counter({
      name: 'surge_executor_observed_publish_failures_total',
      help: 'Observed states Kafka did not take (a periodic tick, or the read-back after an applied decision)',
      registers: [registry],
    });
    new Gauge({
      name: 'surge_paused',
      help: 'Applying decisions paused (1) or running (0); scope global',
      labelNames: ['scope'],
      registers: [registry],
      collect() {
        this.set({ scope: 'global' }, isPaused() ? 1 : 0);
      },
    });
  }

  recordResult(result: ActionResult): void {
    const labels = { status: result.status, kind: result.target.kind };
    this.actions.inc(labels);
    this.duration.observe(labels, result.durationMs / 1000);
  }

  recordObserveFailure(kind: string): void {
    this.observeFailures.inc({ kind });
  }

  recordObservedPublishFailure(): void {
    this.observedPublishFailures.inc();
  }
}

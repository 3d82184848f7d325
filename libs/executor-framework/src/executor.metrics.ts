import type { ActionResult } from '@surge/contracts';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Actions by status and kind, and how long an action took, for /metrics. */
export class ExecutorMetrics {
  private readonly actions: Counter<'status' | 'kind'>;
  private readonly duration: Histogram<'status' | 'kind'>;
  private readonly observeFailures: Counter<'kind'>;

  constructor(registry: Registry) {
    this.actions = new Counter({
      name: 'surge_executor_actions_total',
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
  }

  recordResult(result: ActionResult): void {
    const labels = { status: result.status, kind: result.target.kind };
    this.actions.inc(labels);
    this.duration.observe(labels, result.durationMs / 1000);
  }

  recordObserveFailure(kind: string): void {
    this.observeFailures.inc({ kind });
  }
}

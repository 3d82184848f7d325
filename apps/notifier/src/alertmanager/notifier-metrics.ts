import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@surge/service-kit';
import { Counter, Gauge } from 'prom-client';

/** What an operator watches of the notifier: sends that receivers took or refused, and what fires now. */
@Injectable()
export class NotifierMetrics {
  readonly posted: Counter<'kind' | 'receiver'>;
  readonly postFailures: Counter<'kind' | 'receiver'>;
  readonly firing: Gauge;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.posted = new Counter({
      name: 'surge_notifier_alerts_posted_total',
      help: 'Alerts a receiver accepted, by kind (firing, resolved, resend) and receiver',
      labelNames: ['kind', 'receiver'],
      registers,
    });
    this.postFailures = new Counter({
      name: 'surge_notifier_post_failures_total',
      help: 'Sends to a receiver that failed (to be retried, or refused for good), by kind and receiver',
      labelNames: ['kind', 'receiver'],
      registers,
    });
    this.firing = new Gauge({
      name: 'surge_notifier_firing_alerts',
      help: 'Alerts firing now, as of the last resend round',
      registers,
    });
  }
}

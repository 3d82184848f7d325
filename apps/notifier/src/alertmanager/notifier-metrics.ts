import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@surge/service-kit';
import { Counter, Gauge } from 'prom-client';

/** What an operator watches of the notifier: posts that Alertmanager took or refused, and what fires now. */
@Injectable()
export class NotifierMetrics {
  readonly posted: Counter<'kind'>;
  readonly postFailures: Counter<'kind'>;
  readonly firing: Gauge;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.posted = new Counter({
      name: 'surge_notifier_alerts_posted_total',
      help: 'Alerts Alertmanager accepted, by kind (firing, resolved, resend)',
      labelNames: ['kind'],
      registers,
    });
    this.postFailures = new Counter({
      name: 'surge_notifier_post_failures_total',
      help: 'Posts to Alertmanager that failed (to be retried, or refused for good), by kind',
      labelNames: ['kind'],
      registers,
    });
    this.firing = new Gauge({
      name: 'surge_notifier_firing_alerts',
      help: 'Alerts firing now, as of the last resend round',
      registers,
    });
  }
}

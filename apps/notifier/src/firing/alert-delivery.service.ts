import { Inject, Injectable } from '@nestjs/common';
import type { AlertEvent } from '@surge/contracts';
import { type PostableAlert, toPostableAlert } from '../alertmanager/alertmanager-payload';
import { AlertmanagerClient } from '../alertmanager/alertmanager.client';
import { NotifierMetrics } from '../alertmanager/notifier-metrics';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config/notifier.config';
import { FiringStore } from './firing-store';
import { firingEndsAt, resolvedEndsAt } from './resend-schedule';

/**
 * Delivers alert transitions and re-sends the firing ones, one operation at a time: a resend round reading the
 * firing set just before a resolve would otherwise post the alert firing again right after its resolve.
 */
@Injectable()
export class AlertDelivery {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    private readonly alertmanager: AlertmanagerClient,
    private readonly store: FiringStore,
    private readonly metrics: NotifierMetrics,
  ) {}

  /**
   * Posted first, stored after: an alert Alertmanager refuses for good is never kept for resending, and a crash in
   * between redelivers the event (the offset is committed only after this resolves), which posts it again.
   */
  deliver(event: AlertEvent): Promise<void> {
    return this.serially(async () => {
      if (event.status === 'firing') {
        await this.post('firing', [this.firing(event)]);
        await this.store.put(event);
      } else {
        await this.post('resolved', [toPostableAlert(event, resolvedEndsAt(event), this.config.SURGE_CONSOLE_URL)]);
        await this.store.remove(event.alertId);
      }
    });
  }

  /** Posts every alert still firing with its endsAt pushed ahead; resolves to how many were sent. */
  resendFiring(): Promise<number> {
    return this.serially(async () => {
      const firing = await this.store.all();
      this.metrics.firing.set(firing.length);
      await this.post(
        'resend',
        firing.map((event) => this.firing(event)),
      );
      return firing.length;
    });
  }

  private async post(kind: 'firing' | 'resolved' | 'resend', alerts: PostableAlert[]): Promise<void> {
    try {
      await this.alertmanager.post(alerts);
      this.metrics.posted.inc({ kind }, alerts.length);
    } catch (error) {
      this.metrics.postFailures.inc({ kind });
      throw error;
    }
  }

  private firing(event: AlertEvent): PostableAlert {
    const endsAt = firingEndsAt(Date.now(), this.config.SURGE_NOTIFIER_RESEND_SECONDS);
    return toPostableAlert(event, endsAt, this.config.SURGE_CONSOLE_URL);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

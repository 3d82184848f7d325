import { Injectable } from '@nestjs/common';
import type { AlertEvent } from '@surge/contracts';
import { PermanentFailure } from '@surge/kafka';
import { NotifierMetrics } from '../alertmanager/notifier-metrics';
import { DeliveredMarks } from '../delivery/delivered-marks';
import { matchesReceiver } from '../receivers/receiver-match';
import { ReceiversProvider, type TrackedReceiver } from '../receivers/receivers.provider';
import { FiringStore } from './firing-store';

type Kind = 'firing' | 'resolved' | 'resend';

/**
 * Delivers alert transitions to every matching receiver and re-sends the firing ones to the receivers that need
 * it, one operation at a time: a resend round reading the firing set just before a resolve would otherwise post
 * the alert firing again right after its resolve.
 */
@Injectable()
export class AlertDelivery {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly receivers: ReceiversProvider,
    private readonly marks: DeliveredMarks,
    private readonly store: FiringStore,
    private readonly metrics: NotifierMetrics,
  ) {}

  /**
   * Resolves once every matching receiver has the transition, which is when the consumer commits its offset. A
   * receiver that took it is marked and skipped when a failing one makes the consumer retry. Any transient failure
   * fails the whole (retried); only when the rest failed for good is it a PermanentFailure (dead-lettered).
   */
  deliver(event: AlertEvent): Promise<void> {
    return this.serially(async () => {
      const targets = this.receivers.all.filter(({ receiver }) => matchesReceiver(receiver.settings.match, event));
      const outcomes = await Promise.all(targets.map((target) => this.deliverTo(target, event)));
      const failures = outcomes.filter((outcome): outcome is Error => outcome instanceof Error);
      await this.updateStore(event, targets, outcomes);
      const transient = failures.filter((failure) => !(failure instanceof PermanentFailure));
      if (transient.length > 0) throw new Error(transient.map((failure) => failure.message).join('; '));
      if (failures.length > 0)
        throw new PermanentFailure(failures.map((failure) => failure.message).join('; '), 'handler-failed');
    });
  }

  /** Re-sends every alert still firing to the receivers that resend; resolves to how many alerts fire. */
  resendFiring(): Promise<number> {
    return this.serially(async () => {
      const firing = await this.store.all();
      this.metrics.firing.set(firing.length);
      const errors: string[] = [];
      for (const target of this.receivers.all) {
        const { receiver } = target;
        if (!receiver.resend) continue;
        const alerts = firing.filter((alert) => matchesReceiver(receiver.settings.match, alert));
        if (alerts.length === 0) continue;
        await this.send(target, 'resend', alerts.length, () => receiver.resend!(alerts)).catch((error: Error) =>
          errors.push(error.message),
        );
      }
      if (errors.length > 0) throw new Error(errors.join('; '));
      return firing.length;
    });
  }

  /** `true` once the receiver has it (now or at an earlier attempt), the error otherwise. */
  private async deliverTo(target: TrackedReceiver, event: AlertEvent): Promise<true | Error> {
    const { name } = target.receiver.settings;
    try {
      if (await this.marks.has(event, name)) return true;
      await this.send(target, event.status, 1, () => target.receiver.deliver(event));
      await this.marks.mark(event, name);
      return true;
    } catch (error) {
      return error as Error;
    }
  }

  /**
   * The firing set serves the resending receivers only, so it follows them: stored once they all took the firing
   * (one refusing it for good keeps it out, as it would never take a resend either), removed once they all took
   * the resolve, whatever the other receivers' outage, so that no resend round revives a resolved alert.
   */
  private async updateStore(event: AlertEvent, targets: TrackedReceiver[], outcomes: (true | Error)[]) {
    const resending = targets.flatMap((target, index) => (target.receiver.resend ? [outcomes[index]!] : []));
    if (resending.length === 0 || !resending.every((outcome) => outcome === true)) return;
    if (event.status === 'firing') await this.store.put(event);
    else await this.store.remove(event.alertId);
  }

  private async send(target: TrackedReceiver, kind: Kind, count: number, work: () => Promise<void>) {
    const receiver = target.receiver.settings.name;
    try {
      await target.track(work);
      this.metrics.posted.inc({ kind, receiver }, count);
    } catch (error) {
      this.metrics.postFailures.inc({ kind, receiver });
      throw error;
    }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

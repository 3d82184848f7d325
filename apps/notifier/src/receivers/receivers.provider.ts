import { Inject, Injectable } from '@nestjs/common';
import { PermanentFailure } from '@surge/kafka';
import { HealthRegistry } from '@surge/service-kit';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config/notifier.config';
import type { AlertReceiver } from './alert-receiver';
import { buildReceiver } from './build-receiver';
import type { ReceiverSettings } from './receiver-settings';

export const RECEIVER_SETTINGS = Symbol('RECEIVER_SETTINGS');

/** A receiver and the outcome of its last send, which its readiness check reports. */
export interface TrackedReceiver {
  receiver: AlertReceiver;
  /** Runs one send and records its outcome; rethrows. */
  track<T>(send: () => Promise<T>): Promise<T>;
}

/**
 * The receivers in force, each with a readiness check `receiver:<name>` failing while its last send failed for a
 * transient reason: an outage shows even with no alert in flight, and clears at its first send that works.
 */
@Injectable()
export class ReceiversProvider {
  readonly all: TrackedReceiver[];

  constructor(
    @Inject(NOTIFIER_CONFIG) config: NotifierConfig,
    @Inject(RECEIVER_SETTINGS) settings: ReceiverSettings[],
    health: HealthRegistry,
  ) {
    this.all = settings.map((entry) => {
      const receiver = buildReceiver(entry, config);
      let lastError: string | null = null;
      health.register(`receiver:${entry.name}`, () => {
        if (lastError) throw new Error(lastError);
      });
      return {
        receiver,
        track: async (send) => {
          try {
            const result = await send();
            lastError = null;
            return result;
          } catch (error) {
            // A refused body says nothing of the receiver's health; the next alert may well go through.
            if (!(error instanceof PermanentFailure)) lastError = (error as Error).message;
            throw error;
          }
        },
      };
    });
  }
}

import type { AlertEvent } from '@surge/contracts';
import type { AlertReceiver } from '../alert-receiver';
import { postJson } from '../post-json';
import type { ReceiverSettings } from '../receiver-settings';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature';

/** A generic JSON webhook: the AlertEvent as on surge.alerts, signed with the receiver's HMAC key. */
export class WebhookReceiver implements AlertReceiver {
  constructor(
    readonly settings: ReceiverSettings,
    private readonly options: { timeoutMs: number; now?: () => number },
  ) {}

  deliver(alert: AlertEvent): Promise<void> {
    const body = JSON.stringify(alert);
    // Signed at each attempt: a retry after an outage carries a fresh timestamp, not one a receiver would refuse.
    const timestamp = Math.floor((this.options.now ?? Date.now)() / 1000);
    return postJson(this.settings.url, body, {
      what: `webhook receiver ${this.settings.name}`,
      timeoutMs: this.options.timeoutMs,
      headers: {
        [SIGNATURE_HEADER]: signWebhook(this.settings.secret!, timestamp, body),
        [TIMESTAMP_HEADER]: String(timestamp),
      },
    });
  }
}

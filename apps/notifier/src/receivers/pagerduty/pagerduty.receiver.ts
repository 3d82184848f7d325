import type { AlertEvent } from '@surge/contracts';
import type { AlertReceiver } from '../alert-receiver';
import { postJson } from '../post-json';
import type { ReceiverSettings } from '../receiver-settings';
import { toPagerDutyEvent } from './pagerduty-payload';

/** PagerDuty's Events API v2: one trigger and one resolve per alert, tied by the dedup key. */
export class PagerDutyReceiver implements AlertReceiver {
  private readonly endpoint: string;

  constructor(
    readonly settings: ReceiverSettings,
    private readonly options: { timeoutMs: number; consoleUrl?: string },
  ) {
    this.endpoint = new URL('v2/enqueue', settings.url.replace(/\/*$/, '/')).toString();
  }

  deliver(alert: AlertEvent): Promise<void> {
    const event = toPagerDutyEvent(alert, this.settings.secret!, this.options.consoleUrl);
    return postJson(this.endpoint, JSON.stringify(event), {
      what: `pagerduty receiver ${this.settings.name}`,
      timeoutMs: this.options.timeoutMs,
    });
  }
}

import type { AlertEvent } from '@surge/contracts';
import { type PostableAlert, toPostableAlert } from '../../alertmanager/alertmanager-payload';
import { firingEndsAt, resolvedEndsAt } from '../../firing/resend-schedule';
import type { AlertReceiver } from '../alert-receiver';
import { postJson } from '../post-json';
import type { ReceiverSettings } from '../receiver-settings';

/**
 * Alertmanager's v2 API (`POST /api/v2/alerts`). A firing alert is sent with endsAt a few resend intervals ahead
 * and re-sent before that passes, since Alertmanager resolves by itself an alert whose endsAt passed.
 */
export class AlertmanagerReceiver implements AlertReceiver {
  private readonly endpoint: string;

  constructor(
    readonly settings: ReceiverSettings,
    private readonly options: { timeoutMs: number; resendSeconds: number; consoleUrl?: string },
  ) {
    this.endpoint = new URL('api/v2/alerts', settings.url.replace(/\/*$/, '/')).toString();
  }

  deliver(alert: AlertEvent): Promise<void> {
    return this.post([this.toPostable(alert)]);
  }

  async resend(firing: AlertEvent[]): Promise<void> {
    if (firing.length > 0) await this.post(firing.map((alert) => this.toPostable(alert)));
  }

  private toPostable(alert: AlertEvent): PostableAlert {
    const endsAt =
      alert.status === 'firing' ? firingEndsAt(Date.now(), this.options.resendSeconds) : resolvedEndsAt(alert);
    return toPostableAlert(alert, endsAt, this.options.consoleUrl);
  }

  private post(alerts: PostableAlert[]): Promise<void> {
    return postJson(this.endpoint, JSON.stringify(alerts), {
      what: `Alertmanager ${this.endpoint}`,
      timeoutMs: this.options.timeoutMs,
    });
  }
}

import type { AlertEvent } from '@surge/contracts';
import type { AlertReceiver } from '../alert-receiver';
import { postJson } from '../post-json';
import type { ReceiverSettings } from '../receiver-settings';
import { toSlackMessage } from './slack-payload';

/** A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): one message per transition. */
export class SlackReceiver implements AlertReceiver {
  private readonly endpoint: string;

  constructor(
    readonly settings: ReceiverSettings,
    private readonly options: { timeoutMs: number; consoleUrl?: string },
  ) {
    // The secret is the webhook's path tokens (T…/B…/…), appended to the base the file names.
    this.endpoint = new URL(settings.secret!.replace(/^\/+/, ''), settings.url.replace(/\/*$/, '/')).toString();
  }

  deliver(alert: AlertEvent): Promise<void> {
    return postJson(this.endpoint, JSON.stringify(toSlackMessage(alert, this.options.consoleUrl)), {
      what: `slack receiver ${this.settings.name}`,
      timeoutMs: this.options.timeoutMs,
    });
  }
}

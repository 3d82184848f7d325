import type { NotifierConfig } from '../config/notifier.config';
import type { AlertReceiver } from './alert-receiver';
import { AlertmanagerReceiver } from './alertmanager/alertmanager.receiver';
import { PagerDutyReceiver } from './pagerduty/pagerduty.receiver';
import type { ReceiverSettings } from './receiver-settings';
import { SlackReceiver } from './slack/slack.receiver';
import { WebhookReceiver } from './webhook/webhook.receiver';

/** The adapter for a receiver's type. */
export function buildReceiver(settings: ReceiverSettings, config: NotifierConfig): AlertReceiver {
  const common = { timeoutMs: config.SURGE_NOTIFIER_TIMEOUT_MS, consoleUrl: config.SURGE_CONSOLE_URL };
  switch (settings.type) {
    case 'alertmanager':
      return new AlertmanagerReceiver(settings, { ...common, resendSeconds: config.SURGE_NOTIFIER_RESEND_SECONDS });
    case 'slack':
      return new SlackReceiver(settings, common);
    case 'pagerduty':
      return new PagerDutyReceiver(settings, common);
    case 'webhook':
      return new WebhookReceiver(settings, common);
  }
}

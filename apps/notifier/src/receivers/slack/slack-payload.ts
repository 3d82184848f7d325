import type { AlertEvent } from '@surge/contracts';
import { consoleLinkOf } from '../../alertmanager/alertmanager-payload';

/** A Slack-compatible incoming-webhook message: `text` for notifications and clients without blocks. */
export interface SlackMessage {
  text: string;
  blocks?: { type: 'section'; text: { type: 'mrkdwn'; text: string } }[];
}

/** One message per transition: the summary, the severity as the policy wrote it, and a link to the console. */
export function toSlackMessage(alert: AlertEvent, consoleUrl?: string): SlackMessage {
  const { severity, target, policy, rule } = alert.labels;
  const prefix = alert.status === 'resolved' ? 'resolved: ' : `[${severity}] `;
  const text = `${prefix}${alert.annotations.summary}`;
  const link = consoleUrl ? consoleLinkOf(alert, consoleUrl) : undefined;
  const lines = [
    `*${escape(text)}*`,
    escape(alert.annotations.description),
    `severity ${escape(severity)} · target \`${escape(target)}\` · ${escape(policy)}/${escape(rule)}`,
    ...(link ? [`<${link}|Open in the Surge console>`] : []),
  ].filter((line) => line !== '');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }] };
}

// Slack's mrkdwn reads &, < and > as markup; a summary holding them must show as written.
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

import type { AlertEvent } from '@surge/contracts';

/** One element of the body of Alertmanager's `POST /api/v2/alerts` (its `postableAlert`). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

/** Where an alert links to: the console, on the decisions of the alert's target. */
export function consoleLinkOf(event: AlertEvent, consoleUrl: string): string {
  const link = new URL(consoleUrl);
  link.searchParams.set('target', event.labels.target);
  link.searchParams.set('alert', event.alertId);
  return link.toString();
}

/**
 * The alert as Alertmanager takes it. `endsAt` is the caller's: ahead of now while the alert fires (Alertmanager
 * resolves by itself an alert whose endsAt passed, so a firing one is sent again before), the resolve time once
 * resolved. The labels are exactly the contract's: Alertmanager identifies an alert by its label set, so a firing
 * and its resolved event must carry the same ones.
 */
export function toPostableAlert(event: AlertEvent, endsAtMs: number, consoleUrl?: string): PostableAlert {
  const { alertname, target, policy, rule, severity } = event.labels;
  const link = consoleUrl ? consoleLinkOf(event, consoleUrl) : undefined;
  return {
    labels: { alertname, target, policy, rule, severity },
    annotations: {
      summary: event.annotations.summary,
      description: event.annotations.description,
      ...(link ? { console: link } : {}),
    },
    startsAt: new Date(event.startsAt).toISOString(),
    endsAt: new Date(endsAtMs).toISOString(),
    ...(link ? { generatorURL: link } : {}),
  };
}

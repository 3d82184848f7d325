import type { AlertEvent } from '@surge/contracts';

/**
 * How many resend intervals a send keeps an alert firing in Alertmanager: a few, so that one or two sends lost to
 * an outage or a restart of the notifier do not resolve it, yet a notifier gone for good lets it expire.
 */
export const HOLD_INTERVALS = 4;

/** The endsAt of a firing alert sent at `nowMs`. */
export function firingEndsAt(nowMs: number, resendSeconds: number): number {
  return nowMs + HOLD_INTERVALS * resendSeconds * 1000;
}

/** The endsAt of a resolved alert: its resolve time, or its evaluation's time when the event names none. */
export function resolvedEndsAt(event: AlertEvent): number {
  return event.endsAt ?? event.eventTime;
}

/** When the next resend round is due after one that started at `startedMs`: never before `nowMs`. */
export function nextResendAt(startedMs: number, nowMs: number, resendSeconds: number): number {
  return Math.max(startedMs + resendSeconds * 1000, nowMs);
}

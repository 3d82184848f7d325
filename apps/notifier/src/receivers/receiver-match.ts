import type { AlertEvent } from '@surge/contracts';
import { severityRank } from '@surge/policy';
import type { ReceiverMatch } from './receivers-file.schema';

/**
 * Whether a receiver takes the alert. The severity compares by the event's `severityRank` (the rules engine's,
 * from the same order), not by spelling: an alert written `SEV-1` passes `severityAtLeast: P1`.
 */
export function matchesReceiver(match: ReceiverMatch, alert: AlertEvent): boolean {
  if (match.severityAtLeast !== undefined && alert.severityRank < severityRank(match.severityAtLeast)) return false;
  if (match.policy !== undefined && alert.labels.policy !== match.policy) return false;
  if (match.target !== undefined && alert.labels.target !== match.target) return false;
  return true;
}

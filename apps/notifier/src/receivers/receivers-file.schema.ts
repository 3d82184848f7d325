import { RULE_SEVERITIES } from '@surge/policy';
import { z } from 'zod';

export const RECEIVER_TYPES = ['alertmanager', 'slack', 'pagerduty', 'webhook'] as const;
export type ReceiverType = (typeof RECEIVER_TYPES)[number];

/**
 * Which alerts a receiver gets; every field set must hold. The severity is written as policies write it (`P1`,
 * `SEV-2`, `warning`) and compared by rank, so `severityAtLeast: P1` also takes `critical` and `SEV-2`.
 */
export const receiverMatch = z
  .object({
    severityAtLeast: z.enum(RULE_SEVERITIES).optional(),
    policy: z.string().min(1).optional(),
    target: z.string().min(1).optional(),
  })
  .strict();
export type ReceiverMatch = z.output<typeof receiverMatch>;

const common = {
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'must be a short lowercase name (a-z, 0-9, _ . -)'),
  url: z.string().url(),
  match: receiverMatch.optional(),
};

/** The secret of a receiver is never in this file, only the path of the file holding it (a mounted Secret). */
const secretFile = z.string().min(1, 'must name the file holding the secret');

export const receiverEntry = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('alertmanager') }).strict(),
  // `url` is the webhook base (https://hooks.slack.com/services/); the secret file holds the path tokens after it.
  z.object({ ...common, type: z.literal('slack'), secretFile }).strict(),
  // `url` is the Events API base (https://events.pagerduty.com); the secret file holds the routing key.
  z.object({ ...common, type: z.literal('pagerduty'), secretFile }).strict(),
  // The secret file holds the HMAC-SHA256 key the body is signed with.
  z.object({ ...common, type: z.literal('webhook'), secretFile }).strict(),
]);
export type ReceiverEntry = z.output<typeof receiverEntry>;

export const receiversFileSchema = z
  .object({ receivers: z.array(receiverEntry).min(1, 'must name at least one receiver') })
  .strict();

import { z } from 'zod';

/**
 * Version 2 adds the types `configured` (with `source`, `settings` and `kept`) and `unavailable`. Version 1
 * (without them) is still read, for a rolling upgrade and for the events already on the topic.
 */
export const QUEUE_EVENT_SCHEMA_VERSION = 2;

const typesV1 = ['opened', 'closed', 'capacity-changed', 'admissions', 'mode-changed'] as const;
export const queueEventType = z.enum([...typesV1, 'configured', 'unavailable']);

const fields = {
  room: z.string().min(1),
  time: z.number().int().nonnegative(),
  /** Counts for an `admissions` interval, and the room's state for the others. */
  waiting: z.number().int().nonnegative().optional(),
  active: z.number().int().nonnegative().optional(),
  admitted: z.number().int().nonnegative().optional(),
  intervalMs: z.number().int().positive().optional(),
  maxActive: z.number().int().nonnegative().optional(),
  admitPerMinute: z.number().int().nonnegative().optional(),
  mode: z.enum(['queue', 'passthrough', 'closed']).optional(),
  decisionId: z.string().optional(),
  /** How long the oldest waiting visitor has waited, for the console's queue rooms. */
  oldestWaitMs: z.number().int().nonnegative().optional(),
};

const queueEventV1 = z.object({ schemaVersion: z.literal(1), type: z.enum(typesV1), ...fields });
const queueEventV2 = z.object({
  schemaVersion: z.literal(QUEUE_EVENT_SCHEMA_VERSION),
  type: queueEventType,
  ...fields,
  /** For `configured`: who made the change (the rooms file, an operator, a decision) and which settings it changed. */
  source: z.enum(['file', 'admin', 'decision']).optional(),
  /** For `configured` by an operator (source `admin`): the operator's name, as the operators file names them. */
  actor: z.string().min(1).optional(),
  settings: z.array(z.string()).optional(),
  /** For `configured` by the rooms file: settings kept as an operator or a decision set them. */
  kept: z.array(z.string()).optional(),
});

export const queueEvent = z.discriminatedUnion('schemaVersion', [queueEventV1, queueEventV2]);
export type QueueEvent = z.output<typeof queueEvent>;
/** The shape this release writes. */
export type LatestQueueEvent = z.output<typeof queueEventV2>;

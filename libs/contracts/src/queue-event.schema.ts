import { z } from 'zod';

export const QUEUE_EVENT_SCHEMA_VERSION = 1;

export const queueEventType = z.enum([
  'opened',
  'closed',
  'capacity-changed',
  'admissions',
  'mode-changed',
  'configured',
  'unavailable',
]);

export const queueEvent = z.object({
  schemaVersion: z.literal(QUEUE_EVENT_SCHEMA_VERSION),
  room: z.string().min(1),
  type: queueEventType,
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
  /** For `configured`: who made the change (the rooms file, an operator, a decision) and which settings it changed. */
  source: z.enum(['file', 'admin', 'decision']).optional(),
  settings: z.array(z.string()).optional(),
  /** For `configured` by the rooms file: settings kept as an operator or a decision set them. */
  kept: z.array(z.string()).optional(),
  /** How long the oldest waiting visitor has waited, for the console's queue rooms. */
  oldestWaitMs: z.number().int().nonnegative().optional(),
});
export type QueueEvent = z.output<typeof queueEvent>;

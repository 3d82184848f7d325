import { z } from 'zod';

export const DEAD_LETTER_SCHEMA_VERSION = 1;

export const deadLetterReason = z.enum([
  'invalid-json',
  'schema-violation',
  'handler-failed',
  'unknown-target',
  'signature',
]);
export type DeadLetterReason = z.infer<typeof deadLetterReason>;

export const deadLetterRecord = z.object({
  schemaVersion: z.literal(DEAD_LETTER_SCHEMA_VERSION),
  reason: deadLetterReason,
  error: z.string(),
  consumerGroup: z.string(),
  source: z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() }),
  key: z.string().nullable(),
  /** The original bytes, base64, so the message can be replayed exactly. */
  valueBase64: z.string(),
  attempts: z.number().int().positive(),
  time: z.number().int().nonnegative(),
});
export type DeadLetterRecord = z.output<typeof deadLetterRecord>;

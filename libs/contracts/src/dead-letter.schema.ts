import { z } from 'zod';

/**
 * Version 2 adds the reason `signature` (a steering message whose signature did not verify) and `valueBytes`.
 * Version 1 (without them) is still read, for a rolling upgrade and for the records already on the dead-letter topic.
 */
export const DEAD_LETTER_SCHEMA_VERSION = 2;

const reasonsV1 = ['invalid-json', 'schema-violation', 'handler-failed', 'unknown-target'] as const;
export const deadLetterReason = z.enum([...reasonsV1, 'signature']);
export type DeadLetterReason = z.infer<typeof deadLetterReason>;

const fields = {
  error: z.string(),
  consumerGroup: z.string(),
  source: z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() }),
  key: z.string().nullable(),
  /** The original bytes, base64, so the message can be replayed exactly. */
  valueBase64: z.string(),
  attempts: z.number().int().positive(),
  time: z.number().int().nonnegative(),
};

const deadLetterV1 = z.object({ schemaVersion: z.literal(1), reason: z.enum(reasonsV1), ...fields });
const deadLetterV2 = z.object({
  schemaVersion: z.literal(DEAD_LETTER_SCHEMA_VERSION),
  reason: deadLetterReason,
  ...fields,
  /**
   * Set only when the original was too large to park whole under the Kafka message limit: its length in bytes,
   * while valueBase64 holds its first bytes. The original itself stays on its topic until retention removes it.
   */
  valueBytes: z.number().int().nonnegative().optional(),
});

export const deadLetterRecord = z.discriminatedUnion('schemaVersion', [deadLetterV1, deadLetterV2]);
export type DeadLetterRecord = z.output<typeof deadLetterRecord>;

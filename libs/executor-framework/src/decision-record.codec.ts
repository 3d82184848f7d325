import type { DecisionRecord } from '@surge/executor-core';
import { z } from 'zod';

/**
 * Version of a decision id's record as kept in Redis. Bump it whenever the shape changes, and teach
 * `decodeDecisionRecord` to migrate the previous one.
 */
export const DECISION_RECORD_SCHEMA_VERSION = 1;

const recordShape = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('claimed'), claimedAt: z.number().int().nonnegative() }),
  z.object({ phase: z.enum(['done', 'published']), resultJson: z.string().min(1) }),
]);

export type DecodedRecord =
  { record: DecisionRecord; unreadable?: undefined } | { record?: undefined; unreadable: string };

export function encodeDecisionRecord(record: DecisionRecord): string {
  return JSON.stringify({ schemaVersion: DECISION_RECORD_SCHEMA_VERSION, ...record });
}

/**
 * Reads a record of this version, migrates one written before records carried a version (the same fields,
 * unversioned), and refuses anything else with the reason, never guessing what a newer release or a damaged
 * value meant: the caller rebuilds the record from the actions topic instead.
 */
export function decodeDecisionRecord(raw: string): DecodedRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { unreadable: 'the record is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { unreadable: 'the record is not an object' };
  const { schemaVersion, ...fields } = value as Record<string, unknown>;
  if (schemaVersion !== undefined && schemaVersion !== DECISION_RECORD_SCHEMA_VERSION)
    return {
      unreadable: `record schemaVersion ${JSON.stringify(schemaVersion)}, this executor reads ${DECISION_RECORD_SCHEMA_VERSION}`,
    };
  const parsed = recordShape.safeParse(fields);
  if (!parsed.success) return { unreadable: `the record has no valid phase: ${parsed.error.issues[0]?.message}` };
  return { record: parsed.data };
}

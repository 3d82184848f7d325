import { type FieldIssue, toFieldIssues } from '@surge/contracts';
import { z } from 'zod';
import { decodeCursor, type EventCursor } from './event-cursor';

export const MAX_PAGE_SIZE = 500;

/** PostgreSQL text cannot hold a NUL character: a parameter with one is refused here instead of failing the query. */
export function storableText(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !value.includes('\0'), 'must not contain a NUL character');
}

const time = z
  .string()
  .transform((value, ctx) => {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    // Date's range ends at ±8.64e15 ms: a larger epoch is a finite number but an Invalid Date.
    if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time or epoch milliseconds' });
      return z.NEVER;
    }
    return new Date(ms);
  })
  .optional();

// `type` takes exact types (decision, action, queue.admissions) or a family (queue, control), comma-separated.
const eventType = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .refine(
    (types) => types.length > 0 && types.every((t) => /^[a-z][a-z-]*(\.[a-z-]+)?$/.test(t)),
    'must be event types such as decision,action,queue',
  )
  .optional();

/** The query string of GET /v1/audit/events, as its OpenAPI document lists it too. */
export const eventQuery = z
  .object({
    target: storableText(253).optional(),
    type: eventType,
    decisionId: storableText(200).optional(),
    status: storableText(64).optional(),
    from: time,
    to: time,
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
    cursor: z.string().optional(),
  })
  .strict();

export interface EventFilter {
  target?: string;
  types?: string[];
  decisionId?: string;
  status?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: EventCursor;
}

export type ParsedFilter = { ok: true; filter: EventFilter } | { ok: false; issues: FieldIssue[] };

/** Validates the query string of GET /v1/audit/events; every issue names its parameter. */
export function parseEventFilter(input: Record<string, unknown>): ParsedFilter {
  const result = eventQuery.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: key, message: 'unknown parameter' }))
        : toFieldIssues(new z.ZodError([issue])),
    );
    return { ok: false, issues };
  }
  const { type, cursor, ...rest } = result.data;
  const filter: EventFilter = { ...rest, types: type };
  if (cursor !== undefined) {
    const decoded = decodeCursor(cursor);
    if (!decoded) return { ok: false, issues: [{ path: 'cursor', message: 'is not a cursor returned by this API' }] };
    filter.cursor = decoded;
  }
  if (filter.from && filter.to && filter.from > filter.to)
    return { ok: false, issues: [{ path: 'from', message: 'must not be after to' }] };
  return { ok: true, filter };
}

import {
  actionResult,
  alertEvent,
  controlEvent,
  deadLetterRecord,
  queueEvent,
  scaleDecision,
  scaleExplanation,
  type Topics,
} from '@surge/contracts';
import type { AuditRow } from './audit-row';
import { mayNeedEscaping, storableJson, storableText } from './storable-text';

export interface KafkaRecordRef {
  topic: string;
  partition: number;
  offset: string;
  /** The Kafka record timestamp, epoch ms: the partition key of the events table. */
  timestamp: number;
}

type Classified = Omit<AuditRow, 'topic' | 'partition' | 'kafkaOffset' | 'recordTime'>;

const EMPTY = { targetId: null, targetKind: null, decisionId: null, status: null, policy: null };

/**
 * Turns one Kafka record of an audited topic into its row. It never throws: a record that is not JSON or
 * breaks its contract is still stored, as type `invalid` with its text and the reason, because the audit
 * trail must hold everything that crossed the bus, and dead-lettering it here would loop on the dead-letter topic.
 */
export function toAuditRow(topics: Topics, record: KafkaRecordRef, value: Buffer | null): AuditRow {
  const text = value?.toString('utf8') ?? '';
  const classified = classify(topics, record.topic, text);
  return {
    topic: record.topic,
    partition: record.partition,
    kafkaOffset: record.offset,
    recordTime: new Date(record.timestamp),
    ...(mayNeedEscaping(text) ? storable(classified) : classified),
  };
}

function storable(row: Classified): Classified {
  const text = (value: string | null) => (value === null ? null : storableText(value));
  return {
    eventType: storableText(row.eventType),
    targetId: text(row.targetId),
    targetKind: text(row.targetKind),
    decisionId: text(row.decisionId),
    status: text(row.status),
    policy: text(row.policy),
    payload: storableJson(row.payload),
  };
}

function classify(topics: Topics, topic: string, text: string): Classified {
  if (text === '') return invalid('', 'empty value (a tombstone or zero bytes)');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return invalid(text, 'not JSON');
  }
  // A value nested this deep can be parsed but not stored: JSON.stringify overflows the stack and PostgreSQL's jsonb
  // refuses it, errors the consumer would take for an outage and retry forever, holding the partition.
  if (nestsDeeperThan(json, MAX_DEPTH))
    return invalid(text.slice(0, MAX_INVALID_TEXT), `nested deeper than ${MAX_DEPTH} levels`);
  switch (topic) {
    case topics.decisions: {
      const parsed = scaleDecision.safeParse(json);
      if (!parsed.success) return invalid(json, parsed.error.message);
      const d = parsed.data;
      return {
        eventType: 'decision',
        targetId: d.target.id,
        targetKind: d.target.kind,
        decisionId: d.decisionId,
        status: d.dryRun ? 'dry-run' : 'decided',
        policy: d.policy,
        payload: d,
      };
    }
    case topics.actions: {
      const parsed = actionResult.safeParse(json);
      if (!parsed.success) return invalid(json, parsed.error.message);
      const a = parsed.data;
      return {
        eventType: 'action',
        targetId: a.target.id,
        targetKind: a.target.kind,
        decisionId: a.decisionId,
        status: a.status,
        policy: null,
        payload: a,
      };
    }
    case topics.queueEvents: {
      const parsed = queueEvent.safeParse(json);
      if (!parsed.success) return invalid(json, parsed.error.message);
      const q = parsed.data;
      return {
        ...EMPTY,
        eventType: `queue.${q.type}`,
        targetId: q.room,
        targetKind: 'queue-room',
        decisionId: q.decisionId ?? null,
        status: q.mode ?? null,
        payload: q,
      };
    }
    case topics.control: {
      const parsed = controlEvent.safeParse(json);
      if (!parsed.success) return invalid(json, parsed.error.message);
      const c = parsed.data;
      return { ...EMPTY, eventType: `control.${c.type}`, policy: c.policy ?? null, status: c.type, payload: c };
    }
    // An alert's status is its transition (firing, resolved); an explanation's is its reason (at-max, paused, …).
    case topics.alerts: {
      const parsed = alertEvent.safeParse(json);
      if (!parsed.success) return invalid(json, parsed.error.message);
      const a = parsed.data;
      return {
        ...EMPTY,
        eventType: 'alert',
        targetId: a.target.id,
        targetKind: a.target.kind,
        status: a.status,
        policy: a.labels.policy,
        payload: a,
      };
    }
    case topics.explanations: {
      const parsed = scaleExplanation.safeParse(json);
      if (!parsed.success) return invalid(json, parsed.error.message);
      const e = parsed.data;
      return {
        ...EMPTY,
        eventType: 'explanation',
        targetId: e.target.id,
        targetKind: e.target.kind,
        status: e.reason,
        policy: e.policy,
        payload: e,
      };
    }
    case topics.deadLetter: {
      const parsed = deadLetterRecord.safeParse(json);
      if (!parsed.success) return invalid(json, parsed.error.message);
      const r = parsed.data;
      return { ...EMPTY, eventType: 'deadletter', targetId: r.key, status: r.reason, payload: r };
    }
    default:
      return { ...EMPTY, eventType: 'unknown', payload: json };
  }
}

const MAX_DEPTH = 64;
const MAX_INVALID_TEXT = 64 * 1024;

/**
 * Whether arrays and objects nest deeper than `limit` in a parsed JSON value. The recursion stops at the limit, so
 * deep input cannot overflow the stack, and it walks the values in place: this runs for every audited record.
 */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeperThan(item, limit - 1)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (nestsDeeperThan(record[key], limit - 1)) return true;
  return false;
}

function invalid(content: unknown, reason: string): Classified {
  return { ...EMPTY, eventType: 'invalid', status: 'invalid', payload: { reason: reason.slice(0, 2000), content } };
}

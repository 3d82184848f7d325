import type { StoredAuditEvent } from './audit-row';

export const EVENT_COLUMNS =
  'id, topic, partition, kafka_offset, record_time, event_type, target_id, target_kind, decision_id, status, policy, payload';

export interface EventDbRow {
  id: string;
  topic: string;
  partition: number;
  kafka_offset: string;
  record_time: Date;
  event_type: string;
  target_id: string | null;
  target_kind: string | null;
  decision_id: string | null;
  status: string | null;
  policy: string | null;
  payload: unknown;
}

export function fromDbRow(row: EventDbRow): StoredAuditEvent {
  return {
    id: String(row.id),
    topic: row.topic,
    partition: row.partition,
    kafkaOffset: String(row.kafka_offset),
    recordTime: row.record_time,
    eventType: row.event_type,
    targetId: row.target_id,
    targetKind: row.target_kind,
    decisionId: row.decision_id,
    status: row.status,
    policy: row.policy,
    payload: row.payload,
  };
}

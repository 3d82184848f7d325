/** One row of the events table, as written and as read back. */
export interface AuditRow {
  topic: string;
  partition: number;
  kafkaOffset: string;
  recordTime: Date;
  eventType: string;
  targetId: string | null;
  targetKind: string | null;
  decisionId: string | null;
  status: string | null;
  policy: string | null;
  payload: unknown;
}

export interface StoredAuditEvent extends AuditRow {
  id: string;
}

/** The JSON shape of an event on the API and the stream. */
export interface AuditEventView {
  id: string;
  type: string;
  time: string;
  target: { id: string; kind: string | null } | null;
  decisionId: string | null;
  status: string | null;
  policy: string | null;
  source: { topic: string; partition: number; offset: string };
  payload: unknown;
}

export function toView(event: StoredAuditEvent): AuditEventView {
  return {
    id: event.id,
    type: event.eventType,
    time: event.recordTime.toISOString(),
    target: event.targetId === null ? null : { id: event.targetId, kind: event.targetKind },
    decisionId: event.decisionId,
    status: event.status,
    policy: event.policy,
    source: { topic: event.topic, partition: event.partition, offset: event.kafkaOffset },
    payload: event.payload,
  };
}

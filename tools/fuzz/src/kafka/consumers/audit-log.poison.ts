import { randomUUID } from 'node:crypto';
import {
  actionResult,
  controlEvent,
  DEAD_LETTER_SCHEMA_VERSION,
  deadLetterRecord,
  QUEUE_EVENT_SCHEMA_VERSION,
  queueEvent,
  scaleDecision,
} from '@surge/contracts';
import { Pool } from 'pg';
import {
  startTestApp as startAuditHost,
  testConfig as auditConfig,
} from '../../../../../apps/audit-log/src/testing/test-app';
import { actionFixture, decisionFixture } from '../../../../../apps/audit-log/src/testing/audit-fixtures';
import { createTestDatabase } from '../../../../../apps/audit-log/src/testing/test-database';
import type { ConsumerTopic } from '../poison-fuzzer';
import { closeAll, liveness, type PoisonRun, type PoisonService, resumeEvent } from './poison-run';

const SCHEMA = 'audit_poison';

/**
 * The audit log reads every topic but samples and observed state, dead letters included. It keeps what it cannot
 * read as an `invalid` row with the reason, since the trail must hold everything that crossed the bus, and parks it
 * on the dead-letter topic too, except what it reads there: that would loop. So poison on the dead-letter topic counts
 * as parked by its `invalid` row, poison anywhere else only by its dead letter.
 */
export async function startAuditPoison({ run, topics, topicEnv }: PoisonRun): Promise<PoisonService> {
  const closers: (() => Promise<void>)[] = [];
  try {
    const db = await createTestDatabase();
    closers.push(() => db.drop());
    const audit = await startAuditHost(
      auditConfig({
        ...topicEnv,
        DATABASE_URL: db.url,
        SURGE_AUDIT_SCHEMA: SCHEMA,
        SURGE_AUDIT_GROUP_ID: `fuzz-audit-${run}`,
      }),
      topicEnv,
    );
    closers.push(() => audit.app.close());
    const reader = new Pool({ connectionString: db.url, max: 1 });
    closers.push(() => reader.end());
    const alive = liveness(audit.url);
    const target = (
      consumer: string,
      topic: string,
      schema: ConsumerTopic['schema'],
      valid: ConsumerTopic['valid'],
      signer?: ConsumerTopic['signer'],
    ): ConsumerTopic => ({
      consumer: `audit-log ${consumer}`,
      topic,
      groups: [`fuzz-audit-${run}`],
      schema,
      valid,
      ...(signer ? { signer } : {}),
      alive,
      parking: {
        parked: async () => {
          if (topic !== topics.deadLetter) return new Map<string, string>();
          const { rows } = await reader.query<{ kafka_offset: string; reason: string }>(
            `SELECT kafka_offset, payload->>'reason' AS reason FROM ${SCHEMA}.events
             WHERE topic = $1 AND partition = 0 AND event_type = 'invalid'`,
            [topic],
          );
          return new Map(rows.filter((r) => r.reason).map((r) => [String(r.kafka_offset), r.reason]));
        },
        handled: async (offset) => {
          const { rows } = await reader.query(
            `SELECT 1 FROM ${SCHEMA}.events WHERE topic = $1 AND partition = 0 AND kafka_offset = $2 AND event_type <> 'invalid'`,
            [topic, offset],
          );
          return rows.length === 1;
        },
      },
    });
    const decision = () => decisionFixture(`dec-${randomUUID()}`, 'shop/fuzz') as never;
    const action = () => actionFixture(`dec-${randomUUID()}`, 'shop/fuzz') as never;
    const queue = () => ({
      schemaVersion: QUEUE_EVENT_SCHEMA_VERSION,
      room: 'fuzz',
      type: 'admissions',
      time: Date.now(),
      waiting: 3,
    });
    // A dead letter as a NUL-byte poison message makes one (JSON.parse's error quotes the bytes): PostgreSQL text cannot
    // hold U+0000, and such a dead letter was once logged and lost.
    const deadLetter = () => ({
      schemaVersion: DEAD_LETTER_SCHEMA_VERSION,
      reason: 'invalid-json',
      error: `Unexpected token '\u0000', "\u0000\u0000" is not valid JSON`,
      consumerGroup: `fuzz-elsewhere-${run}`,
      source: { topic: 'fuzz.elsewhere', partition: 0, offset: '1' },
      key: 'poison\u0000key',
      valueBase64: Buffer.from([0, 0]).toString('base64'),
      attempts: 1,
      time: Date.now(),
    });
    return {
      targets: [
        target('decisions', topics.decisions, scaleDecision, decision),
        target('actions', topics.actions, actionResult, action),
        target('queue events', topics.queueEvents, queueEvent, queue),
        // The control plane in the audit-log process verifies the control topic it acts on, and so its consumer.
        target('control', topics.control, controlEvent, resumeEvent, 'control-plane'),
        target('dead letters', topics.deadLetter, deadLetterRecord, deadLetter),
      ],
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import { topicEnvFor } from '@surge/config';
import { DEFAULT_TOPICS, type Topics } from '@surge/contracts';
import {
  ADMIN_TOKEN as QUEUE_ADMIN_TOKEN,
  startTestApp as startQueue,
} from '../../../apps/virtual-queue/src/testing/test-app';
import { startIngest } from '../../../apps/metrics-ingest/src/testing/ingest-test-app';
import {
  startTestApp as startAuditHost,
  TEST_ADMIN_TOKEN as AUDIT_ADMIN_TOKEN,
  testConfig as auditConfig,
} from '../../../apps/audit-log/src/testing/test-app';
import { createTestDatabase } from '../../../apps/audit-log/src/testing/test-database';

/** Topics of this run alone: a fuzzed control event that passes validation (pause) must not reach anyone else. */
export function fuzzTopics(): Topics {
  const run = randomUUID().slice(0, 8);
  return Object.fromEntries(
    Object.entries(DEFAULT_TOPICS).map(([key, name]) => [key, `fuzz.${run}.${name}`]),
  ) as unknown as Topics;
}

// Random per run: ingest refuses a token that looks like a placeholder, as it should.
export const INGEST_TOKEN = randomBytes(32).toString('hex');
export { AUDIT_ADMIN_TOKEN, QUEUE_ADMIN_TOKEN };

/** The room every queue input may name, so a share of them gets past the room lookup to the body's validation. */
export const FUZZ_ROOM = 'fuzz';

export interface FuzzServices {
  ingestUrl: string;
  queueUrl: string;
  auditUrl: string;
  close(): Promise<void>;
}

/**
 * Every HTTP service in-process, as its main.ts builds it, against the real Kafka, Redis and PostgreSQL named by
 * KAFKA_BROKERS, REDIS_URL and DATABASE_URL, each with its credentials set so that inputs reach validation.
 */
export async function startFuzzServices(): Promise<FuzzServices> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers || !process.env.REDIS_URL || !process.env.DATABASE_URL)
    throw new Error('KAFKA_BROKERS, REDIS_URL and DATABASE_URL must be set (. /work/wt/env.sh or npm run infra:up)');
  const closers: (() => Promise<void>)[] = [];
  try {
    const ingest = await startIngest({ KAFKA_BROKERS: brokers, SURGE_INGEST_TOKEN: INGEST_TOKEN });
    closers.push(() => ingest.close());
    const queue = await startQueue({ VQ_JOIN_LIMIT_PER_IP: '1000000' });
    closers.push(() => queue.close());
    const room = await queue.admin('PUT', `/v1/admin/rooms/${FUZZ_ROOM}`, { maxActive: 5 });
    if (room.status !== 200) throw new Error(`could not create the fuzz room: ${room.status}`);
    const db = await createTestDatabase();
    closers.push(() => db.drop());
    const topicEnv = topicEnvFor(fuzzTopics());
    const audit = await startAuditHost(
      auditConfig({
        ...topicEnv,
        DATABASE_URL: db.url,
        SURGE_AUDIT_SCHEMA: 'audit_fuzz',
        SURGE_AUDIT_CONSUME: 'false',
      }),
      topicEnv,
    );
    closers.push(() => audit.app.close());
    return {
      ingestUrl: ingest.url,
      queueUrl: queue.url,
      auditUrl: audit.url,
      close: async () => {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

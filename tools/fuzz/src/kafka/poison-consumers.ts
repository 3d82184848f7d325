import { randomUUID } from 'node:crypto';
import { topicEnvFor } from '@surge/config';
import type { Topics } from '@surge/contracts';
import { createKafka, ensureTopics } from '@surge/kafka';
import type { Kafka } from 'kafkajs';
import { fuzzTopics } from '../services';
import { startAuditPoison } from './consumers/audit-log.poison';
import { startExecutorPoison } from './consumers/executor-k8s.poison';
import { closeAll, type PoisonRun } from './consumers/poison-run';
import { startRulesPoison } from './consumers/rules-engine.poison';
import { startQueuePoison } from './consumers/virtual-queue.poison';
import type { ConsumerTopic } from './poison-fuzzer';

export interface PoisonConsumers {
  kafka: Kafka;
  topics: Topics;
  targets: ConsumerTopic[];
  close(): Promise<void>;
}

/**
 * Every Surge consumer in-process, as its main.ts builds it, on topics of this run alone, against the real Kafka,
 * Redis and PostgreSQL: each consumer topic with the groups that read it and a valid record for it. The executor
 * framework's consumers are those of executor-k8s and of the waiting room's in-process executor.
 */
export async function startPoisonConsumers(): Promise<PoisonConsumers> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers || !process.env.REDIS_URL || !process.env.DATABASE_URL)
    throw new Error('KAFKA_BROKERS, REDIS_URL and DATABASE_URL must be set (. /work/wt/env.sh or npm run infra:up)');
  const topics = fuzzTopics();
  const run: PoisonRun = { run: randomUUID().slice(0, 8), brokers, topics, topicEnv: topicEnvFor(topics) };
  const kafka = createKafka({ brokers: brokers.split(','), clientId: `fuzz-poison-${run.run}` });
  await ensureTopics(kafka, Object.values(topics), 1);
  const closers: (() => Promise<void>)[] = [];
  const targets: ConsumerTopic[] = [];
  try {
    for (const start of [startQueuePoison, startExecutorPoison, startAuditPoison, startRulesPoison]) {
      const service = await start(run);
      closers.push(() => service.close());
      targets.push(...service.targets);
    }
    return { kafka, topics, targets, close: () => closeAll(closers) };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

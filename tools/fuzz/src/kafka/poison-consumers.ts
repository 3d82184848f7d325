import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import { createServiceApp } from '@surge/service-kit';
import { topicEnvFor } from '@surge/config';
import {
  actionResult,
  CONTROL_EVENT_SCHEMA_VERSION,
  controlEvent,
  controlScopeOf,
  METRIC_SAMPLE_SCHEMA_VERSION,
  observedState,
  sampleEnvelope,
  scaleDecision,
  type Topics,
} from '@surge/contracts';
import { createKafka, ensureTopics } from '@surge/kafka';
import { testSigningEnv } from '@surge/signing/testing';
import type { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { startTestApp as startQueue } from '../../../../apps/virtual-queue/src/testing/test-app';
import {
  startTestApp as startAuditHost,
  testConfig as auditConfig,
} from '../../../../apps/audit-log/src/testing/test-app';
import { actionFixture, decisionFixture } from '../../../../apps/audit-log/src/testing/audit-fixtures';
import { createTestDatabase } from '../../../../apps/audit-log/src/testing/test-database';
import { loadRulesEngineConfig } from '../../../../apps/rules-engine/src/config/rules-engine.config';
import { RulesEngineModule } from '../../../../apps/rules-engine/src/rules-engine.module';
import { observedReplicas } from '../../../../apps/rules-engine/src/testing/observed-state';
import { fuzzTopics } from '../services';
import type { ConsumerTopic } from './poison-fuzzer';

export interface PoisonConsumers {
  kafka: Kafka;
  topics: Topics;
  targets: ConsumerTopic[];
  close(): Promise<void>;
}

const alive = (url: string) => async () => (await fetch(`${url}/health/live`).catch(() => null))?.ok ?? false;

/**
 * The Surge consumers in-process, as their main.ts builds them, on topics of this run alone, against the real
 * Kafka, Redis and PostgreSQL: each consumer topic with the groups that read it and a valid record for it.
 */
export async function startPoisonConsumers(): Promise<PoisonConsumers> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers || !process.env.REDIS_URL || !process.env.DATABASE_URL)
    throw new Error('KAFKA_BROKERS, REDIS_URL and DATABASE_URL must be set (. /work/wt/env.sh or npm run infra:up)');
  const run = randomUUID().slice(0, 8);
  const topics = fuzzTopics();
  const topicEnv = topicEnvFor(topics);
  const kafka = createKafka({ brokers: brokers.split(','), clientId: `fuzz-poison-${run}` });
  await ensureTopics(kafka, Object.values(topics), 1);
  const closers: (() => Promise<void>)[] = [];
  const targets: ConsumerTopic[] = [];
  try {
    const queueGroup = `fuzz-vq-${run}`;
    const queue = await startQueue({ ...topicEnv, KAFKA_BROKERS: brokers, VQ_DECISION_GROUP: queueGroup });
    closers.push(() => queue.close());
    targets.push({
      consumer: 'virtual-queue decisions',
      topic: topics.decisions,
      groups: [queueGroup],
      schema: scaleDecision,
      signer: 'rules-engine',
      valid: () => ({
        ...decisionFixture(`dec-${randomUUID()}`, 'shop/fuzz'),
        target: { kind: 'VirtualQueue', id: 'shop/fuzz' },
      }),
      alive: alive(queue.url),
    });

    const db = await createTestDatabase();
    closers.push(() => db.drop());
    const auditGroup = `fuzz-audit-${run}`;
    const audit = await startAuditHost(
      auditConfig({
        ...topicEnv,
        DATABASE_URL: db.url,
        SURGE_AUDIT_SCHEMA: 'audit_poison',
        SURGE_AUDIT_GROUP_ID: auditGroup,
      }),
      topicEnv,
    );
    closers.push(() => audit.app.close());
    const reader = new Pool({ connectionString: db.url, max: 1 });
    closers.push(() => reader.end());
    const auditAlive = alive(audit.url);
    // The audit log keeps what it cannot read as an `invalid` row with the reason: the trail must hold everything
    // that crossed the bus, and dead-lettering would loop on the dead-letter topic it also records.
    const auditParking = (topic: string): ConsumerTopic['parking'] => ({
      parked: async () => {
        const { rows } = await reader.query<{ kafka_offset: string; reason: string }>(
          `SELECT kafka_offset, payload->>'reason' AS reason FROM audit_poison.events
           WHERE topic = $1 AND partition = 0 AND event_type = 'invalid'`,
          [topic],
        );
        return new Map(rows.filter((r) => r.reason).map((r) => [r.kafka_offset, r.reason]));
      },
      handled: async (offset) => {
        const { rows } = await reader.query(
          `SELECT 1 FROM audit_poison.events WHERE topic = $1 AND partition = 0 AND kafka_offset = $2 AND event_type <> 'invalid'`,
          [topic, offset],
        );
        return rows.length === 1;
      },
    });
    targets.push(
      {
        consumer: 'audit-log decisions',
        topic: topics.decisions,
        groups: [auditGroup],
        schema: scaleDecision,
        valid: () => decisionFixture(`dec-${randomUUID()}`, 'shop/fuzz') as never,
        alive: auditAlive,
        parking: auditParking(topics.decisions),
      },
      {
        consumer: 'audit-log actions',
        topic: topics.actions,
        groups: [auditGroup],
        schema: actionResult,
        valid: () => actionFixture(`dec-${randomUUID()}`, 'shop/fuzz') as never,
        alive: auditAlive,
        parking: auditParking(topics.actions),
      },
    );

    const rulesGroup = `fuzz-rules-${run}`;
    const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-fuzz-policies-'));
    closers.push(async () => fs.rmSync(policiesDir, { recursive: true, force: true }));
    const rulesConfig = loadRulesEngineConfig({
      ...process.env,
      ...testSigningEnv('rules-engine'),
      ...topicEnv,
      SURGE_POLICIES_DIR: policiesDir,
      SURGE_RULES_GROUP_ID: rulesGroup,
      SURGE_RULES_REDIS_PREFIX: `fuzz:rules:${run}:`,
      LOG_LEVEL: 'warn',
      PORT: '0',
    });
    @Module({ imports: [RulesEngineModule.forRoot(rulesConfig)] })
    class RulesFuzzModule {}
    const rules = await createServiceApp(RulesFuzzModule, { name: 'rules-engine' });
    await rules.listen(0, '127.0.0.1');
    closers.push(() => rules.close());
    const rulesAlive = alive((await rules.getUrl()).replace('[::1]', '127.0.0.1'));
    targets.push(
      {
        consumer: 'rules-engine samples',
        topic: topics.samples,
        groups: [rulesGroup],
        schema: sampleEnvelope,
        valid: () => ({
          schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION,
          target: 'shop/fuzz',
          samples: [{ target: 'shop/fuzz', metric: 'cpu_utilization', value: 50, timestamp: Date.now() }],
        }),
        alive: rulesAlive,
      },
      {
        consumer: 'rules-engine observed',
        topic: topics.observed,
        groups: [`${rulesGroup}-observed`],
        schema: observedState,
        signer: 'executor',
        valid: () => JSON.parse(observedReplicas('shop/fuzz', 2, Date.now()).value) as Record<string, unknown>,
        alive: rulesAlive,
      },
      {
        consumer: 'rules-engine control',
        topic: topics.control,
        groups: [`${rulesGroup}-control-`],
        schema: controlEvent,
        signer: 'control-plane',
        valid: () => ({
          schemaVersion: CONTROL_EVENT_SCHEMA_VERSION,
          type: 'resume',
          scope: controlScopeOf({ type: 'resume' }),
          actor: 'fuzz',
          time: Date.now(),
        }),
        alive: rulesAlive,
      },
    );
    return {
      kafka,
      topics,
      targets,
      close: async () => {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

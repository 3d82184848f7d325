import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  alertEvent,
  type AlertEvent,
  CONTROL_EVENT_SCHEMA_VERSION,
  scaleDecision,
  type ScaleDecision,
} from '@surge/contracts';
import { runTopicEnv } from '@surge/harness';
import { createServiceApp } from '@surge/service-kit';
import { signedAs, testSigningEnv } from '@surge/signing/testing';
import { Kafka, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRulesEngineConfig } from '../config/rules-engine.config';
import { RulesEngineModule } from '../rules-engine.module';
import { observedReplicas, waitFor } from '../testing/observed-state';

/**
 * Pauses that end by themselves, and the warning of a pause that lasts, through real Kafka and Redis. Control
 * events are written straight to the control topic, signed as the control plane signs them, and no resume is
 * ever written for the pause that expires: the engine must resume by its own clock.
 */
const run = randomUUID().slice(0, 8);
const target = `it/pause-expiry-${run}`;
const POLICY_NAME = 'it-pause-expiry';
const topics = runTopicEnv(`test.pause-expiry.${run}`);
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-pause-expiry-'));
const T0 = Date.parse('2026-03-03T10:00:00Z');
const decisions: ScaleDecision[] = [];
const alerts: AlertEvent[] = [];
let kafka: Kafka;
let producer: Producer;
let reader: Consumer;
let engine: NestFastifyApplication;
let engineUrl: string;

async function control(type: 'pause' | 'resume', options: { policy?: string; until?: number } = {}): Promise<number> {
  const time = Date.now();
  const scope = `pause:${options.policy ? `policy:${options.policy}` : 'global'}`;
  const event = { schemaVersion: CONTROL_EVENT_SCHEMA_VERSION, type, scope, actor: 'it', time, ...options };
  await producer.send({
    topic: topics.SURGE_TOPIC_CONTROL,
    messages: [signedAs('control-plane', { key: scope, value: JSON.stringify(event) })],
  });
  return time;
}

async function metrics(): Promise<string> {
  return (await fetch(`${engineUrl}/metrics`)).text();
}

const counter = async (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(await metrics())?.[1] ?? 0);
const pausedGauge = async () => /surge_paused\{scope="global"\} (\d)/.exec(await metrics())?.[1];

/** A CPU breach (2 replicas at 100 % for a 50 % target asks for 4), waited for until the engine evaluated it. */
async function breachEvaluated(seconds: number): Promise<void> {
  const before = await counter('surge_rules_evaluations_total');
  const timestamp = T0 + seconds * 1000;
  const samples = [{ schemaVersion: 1, target, metric: 'cpu_utilization', value: 100, timestamp }];
  await producer.send({
    topic: topics.SURGE_TOPIC_SAMPLES,
    messages: [{ key: target, value: JSON.stringify({ schemaVersion: 1, target, samples }) }],
  });
  await waitFor(async () => (await counter('surge_rules_evaluations_total')) > before);
}

beforeAll(async () => {
  fs.writeFileSync(
    path.join(policiesDir, 'pause-expiry.yaml'),
    `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: ${POLICY_NAME} }
spec:
  target: { id: ${target}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 20
  metricStaleness: 10m
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
`,
  );
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'pause-expiry-test' });
  producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })),
  });
  await admin.disconnect();
  await producer.send({ topic: topics.SURGE_TOPIC_OBSERVED, messages: [observedReplicas(target, 2, T0)] });
  reader = kafka.consumer({ groupId: `test-pause-expiry-reader-${run}`, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topics: [topics.SURGE_TOPIC_DECISIONS, topics.SURGE_TOPIC_ALERTS], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ topic, message }) => {
      const value = JSON.parse(message.value!.toString());
      if (topic === topics.SURGE_TOPIC_ALERTS) alerts.push(alertEvent.parse(value));
      else decisions.push(scaleDecision.parse(value));
    },
  });
  const config = loadRulesEngineConfig({
    ...process.env,
    ...testSigningEnv('rules-engine'),
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-pause-expiry-${run}`,
    SURGE_RULES_REDIS_PREFIX: `test:pause-expiry:${run}:`,
    SURGE_PAUSE_ALERT_AFTER: '1',
    LOG_LEVEL: 'warn',
  });
  @Module({ imports: [RulesEngineModule.forRoot(config)] })
  class AppModule {}
  engine = await createServiceApp(AppModule, { name: 'rules-engine' });
  await engine.listen(0, '127.0.0.1');
  engineUrl = (await engine.getUrl()).replace('[::1]', '127.0.0.1');
  await waitFor(async () => (await counter('surge_rules_observed_states_total')) > 0);
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await reader?.disconnect();
  await producer?.disconnect();
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe('pauses with an expiry, and the warning of a long pause (real Kafka and Redis)', () => {
  it('stops decisions during a pause with until 2 s ahead, and decides after it with no resume event', async () => {
    const until = Date.now() + 2000;
    const pausedAt = await control('pause', { until });
    await waitFor(async () => (await pausedGauge()) === '1');
    await breachEvaluated(0);
    expect(decisions).toEqual([]);

    // The gauge drops at the expiry by itself; a breach then decides, though nobody sent a resume.
    await waitFor(async () => (await pausedGauge()) === '0');
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    await breachEvaluated(10);
    const decision = await waitFor(() => decisions[0]);
    expect(decision).toMatchObject({ target: { id: target }, from: 2, to: 4, direction: 'up' });

    // The 2 s pause outlasted SURGE_PAUSE_ALERT_AFTER=1: it fired, and its expiry resolved it.
    const [firing, resolved] = await waitFor(() => alerts.length >= 2 && alerts);
    expect(firing).toMatchObject({
      status: 'firing',
      source: 'pause',
      labels: { alertname: 'SurgePaused', target: '*', policy: '*', rule: 'pause', severity: 'warning' },
      startsAt: pausedAt + 1000,
    });
    expect(resolved).toMatchObject({ status: 'resolved', alertId: firing!.alertId, endsAt: until });
  }, 60_000);

  it('fires SurgePaused for a policy pause that lasts, and resolves it on its resume', async () => {
    const before = alerts.length;
    await control('pause', { policy: POLICY_NAME });
    const firing = await waitFor(() => alerts[before]);
    expect(firing).toMatchObject({
      status: 'firing',
      labels: { alertname: 'SurgePaused', target, policy: POLICY_NAME, rule: 'pause' },
      endsAt: null,
    });
    const resumedAt = await control('resume', { policy: POLICY_NAME });
    const resolved = await waitFor(() => alerts[before + 1]);
    expect(resolved).toMatchObject({ status: 'resolved', alertId: firing.alertId, endsAt: resumedAt });
    // Once per pause: nothing more is sent for it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(alerts).toHaveLength(before + 2);
  }, 60_000);
});

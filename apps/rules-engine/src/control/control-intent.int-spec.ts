import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { scaleDecision, type ScaleDecision } from '@surge/contracts';
import { createServiceApp } from '@surge/service-kit';
import { generateSigningKeyPair, MessageSigner, parsePrivateKey } from '@surge/signing';
import { testSigningEnv, testSigningKeys } from '@surge/signing/testing';
import { ConfigResourceTypes, Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRulesEngineConfig } from '../config/rules-engine.config';
import { RulesEngineModule } from '../rules-engine.module';
import { startControlPlaneApp } from '../testing/control-plane-app';
import { observedReplicas, waitFor } from '../testing/observed-state';
import { runTopicEnv } from '@surge/harness';

// Real: Kafka and Redis, the control plane's HTTP API and the rules engine, each a Nest app of its own.
const run = randomUUID().slice(0, 8);
const target = `it/intent-${run}`;
const ADMIN_TOKEN = `intent-admin-${run}-0123456789`;
const topics = runTopicEnv(`test.intent.${run}`);
const compactedView = `test.intent.${run}.control-compacted`;
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-intent-'));
const T0 = Date.parse('2026-03-01T10:00:00Z');
const savedEnv = { ...process.env };
const seen: ScaleDecision[] = [];
let kafka: Kafka;
let producer: Producer;
let controlPlane: NestFastifyApplication;
let controlUrl: string;

async function startControlPlane(): Promise<NestFastifyApplication> {
  return startControlPlaneApp({ adminToken: ADMIN_TOKEN }, { ...topics, SURGE_TOPIC_PARTITIONS: '3' });
}

/** A restart: a new Nest app, so a new control group, reading the given control topic. */
async function startEngine(controlTopic = topics.SURGE_TOPIC_CONTROL): Promise<NestFastifyApplication> {
  process.env.SURGE_TOPIC_CONTROL = controlTopic;
  const config = loadRulesEngineConfig({
    ...process.env,
    ...testSigningEnv('rules-engine'),
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-intent-${run}-${randomUUID().slice(0, 4)}`,
    SURGE_RULES_REDIS_PREFIX: `test:intent:${run}:${randomUUID().slice(0, 4)}:`,
    LOG_LEVEL: 'warn',
  });
  @Module({ imports: [RulesEngineModule.forRoot(config)] })
  class AppModule {}
  const app = await createServiceApp(AppModule, { name: 'rules-engine' });
  await app.listen(0, '127.0.0.1');
  return app;
}

const control = (action: string, body: Record<string, string> = {}) =>
  fetch(`${controlUrl}/v1/control/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });

/** A CPU breach: 2 replicas at 100 % for a 50 % target asks for 4, unless paused. */
async function breach(seconds: number): Promise<void> {
  const timestamp = T0 + seconds * 1000;
  const samples = [{ schemaVersion: 1, target, metric: 'cpu_utilization', value: 100, timestamp }];
  await producer.send({
    topic: topics.SURGE_TOPIC_SAMPLES,
    messages: [{ key: target, value: JSON.stringify({ schemaVersion: 1, target, samples }) }],
  });
}

/** The executor's word that the target runs 2 replicas: the engine's current value comes from the observed topic. */
async function observeTwoReplicas(): Promise<void> {
  await producer.send({
    topic: topics.SURGE_TOPIC_OBSERVED,
    messages: [observedReplicas(target, 2, T0)],
  });
}

/** A counter of the engine's /metrics, 0 until it is first counted. */
async function counter(engine: NestFastifyApplication, name: string): Promise<number> {
  const url = (await engine.getUrl()).replace('[::1]', '127.0.0.1');
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

async function untilCounted(engine: NestFastifyApplication, name: string, atLeast: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await counter(engine, name)) < atLeast) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${name} >= ${atLeast}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the engine has folded in an observation, so a breach sent next finds the current value. */
const untilObserved = (engine: NestFastifyApplication) => untilCounted(engine, 'surge_rules_observed_states_total', 1);

/** Sends a breach and waits until the engine has evaluated it: an absent decision then means it chose not to. */
async function breachEvaluated(engine: NestFastifyApplication, seconds: number): Promise<void> {
  const before = await counter(engine, 'surge_rules_evaluations_total');
  await breach(seconds);
  await untilCounted(engine, 'surge_rules_evaluations_total', before + 1);
}

async function readAll(topic: string): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const total = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `test-intent-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    if (total === 0) resolve();
    consumer
      .run({
        eachMessage: async ({ message }) => {
          messages.push(message);
          if (messages.length >= total) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return messages;
}

async function cleanupPolicy(topic: string): Promise<string | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
  });
  await admin.disconnect();
  return described.resources[0]!.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 2500));

beforeAll(async () => {
  fs.writeFileSync(
    path.join(policiesDir, 'intent.yaml'),
    `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: it-intent }
spec:
  target: { id: ${target}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 20
  metricStaleness: 10m
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
`,
  );
  Object.assign(process.env, topics);
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'intent-test' });
  producer = kafka.producer();
  await producer.connect();
  // Every topic as an older release created it: the control topic too, with the delete policy.
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })),
  });
  await admin.disconnect();
  await observeTwoReplicas();
  const observer = kafka.consumer({ groupId: `test-intent-observer-${run}`, maxWaitTimeInMs: 100 });
  await observer.connect();
  await observer.subscribe({ topics: [topics.SURGE_TOPIC_DECISIONS], fromBeginning: true });
  await observer.run({
    eachMessage: async ({ message }) => void seen.push(scaleDecision.parse(JSON.parse(message.value!.toString()))),
  });
  controlPlane = await startControlPlane();
  controlUrl = (await controlPlane.getUrl()).replace('[::1]', '127.0.0.1');
  afterAll(() => observer.disconnect());
}, 120_000);

afterAll(async () => {
  await controlPlane?.close();
  await producer?.disconnect();
  process.env = savedEnv;
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe("the operator's intent survives restarts and retention (real Kafka and Redis)", () => {
  it('alters the control topic an older release created to a compacted one at start', async () => {
    expect(await cleanupPolicy(topics.SURGE_TOPIC_CONTROL)).toBe('compact');
  });

  it('keeps a pause published through the control plane across an engine restart and compaction', async () => {
    expect((await control('pause', { reason: 'incident 42' })).status).toBe(202);
    // A later event of another scope: under one key per policy-or-global it would have replaced the pause.
    expect((await control('dry-run-on', { reason: 'rehearsal' })).status).toBe(202);

    // Records are keyed by the scope they set, so compaction keeps the latest of each.
    const records = await readAll(topics.SURGE_TOPIC_CONTROL);
    expect(records.map((m) => m.key!.toString()).sort()).toEqual(['dry-run:global', 'pause:global']);

    // The breach is on the samples topic before the engine starts: it must not be evaluated before the pause is known.
    await breach(0);
    let engine = await startEngine();
    // The current value is known, so only the pause can keep the breach from deciding.
    await untilObserved(engine);
    await breachEvaluated(engine, 10);
    await settle();
    expect(seen).toEqual([]);
    await engine.close();

    // What a compaction may leave: only the latest record of each key, in a topic of its own.
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: compactedView, numPartitions: 3 }] });
    await admin.disconnect();
    const latest = new Map(records.map((m) => [m.key!.toString(), m]));
    await producer.send({
      topic: compactedView,
      messages: [...latest.values()].map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
    });
    engine = await startEngine(compactedView);
    await untilObserved(engine);
    expect(await cleanupPolicy(compactedView)).toBe('compact');
    await breachEvaluated(engine, 20);
    await settle();
    expect(seen).toEqual([]);
    await engine.close();

    // Resumed, the same breach decides: the engine was kept from deciding only by the pause.
    expect((await control('resume')).status).toBe(202);
    engine = await startEngine();
    await untilObserved(engine);
    await breach(30);
    const decision = await waitFor(() => seen[0]);
    expect(decision).toMatchObject({ target: { id: target }, from: 2, to: 4, direction: 'up' });
    await engine.close();
  }, 120_000);

  it('ignores and counts a pause written to the control topic without the control plane’s key', async () => {
    const forgedTopic = `test.intent.${run}.control-forged`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: forgedTopic, numPartitions: 3 }] });
    await admin.disconnect();
    // Whoever reaches the broker: a plain kafkajs producer, once with no signature, once under the control plane's
    // key id with a key of its own.
    const pause = JSON.stringify({
      schemaVersion: 2,
      type: 'pause',
      scope: 'pause:global',
      actor: 'x',
      time: Date.now(),
    });
    const forger = new MessageSigner(
      testSigningKeys().key('control-plane').keyId,
      parsePrivateKey(generateSigningKeyPair().privateKeyPem),
    );
    await producer.send({
      topic: forgedTopic,
      messages: [
        { key: 'pause:global', value: pause },
        { key: 'pause:global', value: pause, headers: forger.headersFor(pause) },
      ],
    });
    const before = seen.length;
    const engine = await startEngine(forgedTopic);
    try {
      await untilObserved(engine);
      await breach(40);
      // Not paused: the breach decides.
      const decision = await waitFor(() => seen[before]);
      expect(decision).toMatchObject({ target: { id: target }, dryRun: false });
      const url = (await engine.getUrl()).replace('[::1]', '127.0.0.1');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain(`surge_signatures_refused_total{topic="${forgedTopic}",reason="unsigned"} 1`);
      expect(metrics).toContain(`surge_signatures_refused_total{topic="${forgedTopic}",reason="bad-signature"} 1`);
      expect(metrics).toMatch(/surge_paused\{scope="global"\} 0/);
    } finally {
      await engine.close();
    }
  }, 120_000);
});

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { scaleDecision, type ScaleDecision } from '@surge/contracts';
import { createServiceApp } from '@surge/service-kit';
import { signedAs, testSigningEnv } from '@surge/signing/testing';
import { Kafka, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRulesEngineConfig } from './config/rules-engine.config';
import { RulesEngineModule } from './rules-engine.module';
import { observedReplicas, waitFor } from './testing/observed-state';
import { runTopicEnv } from '@surge/harness';

const run = randomUUID().slice(0, 8);
const target = `it/app-${run}`;
const topics = runTopicEnv(`test.rules.${run}`);
const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-policies-'));
const policyFile = path.join(policiesDir, 'app.yaml');
const POLICY = `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: it-app }
spec:
  target: { id: ${target}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 20
  metricStaleness: 10m
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
  # Named, so HPA's behavior defaults apply (+4 pods or doubling per 15 s) rather than its legacy path.
  behavior: {}
`;
const T0 = Date.parse('2026-03-01T10:00:00Z');
const seen: ScaleDecision[] = [];
let kafka: Kafka;
let producer: Producer;

async function startEngine(): Promise<NestFastifyApplication> {
  const config = loadRulesEngineConfig({
    ...process.env,
    ...testSigningEnv('rules-engine'),
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-rules-${run}`,
    SURGE_RULES_REDIS_PREFIX: `test:rules:${run}:`,
    LOG_LEVEL: 'warn',
  });
  @Module({ imports: [RulesEngineModule.forRoot(config)] })
  class AppModule {}
  const app = await createServiceApp(AppModule, { name: 'rules-engine' });
  await app.listen(0, '127.0.0.1');
  return app;
}

async function send(seconds: number, values: Record<string, number>): Promise<void> {
  const timestamp = T0 + seconds * 1000;
  const samples = Object.entries(values).map(([metric, value]) => ({
    schemaVersion: 1,
    target,
    metric,
    value,
    timestamp,
  }));
  await producer.send({
    topic: topics.SURGE_TOPIC_SAMPLES,
    messages: [{ key: target, value: JSON.stringify({ schemaVersion: 1, target, samples }) }],
  });
}

/** The executor's word on the target's replicas, folded in before the samples that need it are sent. */
async function observe(engine: NestFastifyApplication, seconds: number, replicas: number): Promise<void> {
  const count = async () => {
    const text = await (await fetch(`${await engine.getUrl()}/metrics`)).text();
    return Number(/surge_rules_observed_states_total (\d+)/.exec(text)?.[1] ?? 0);
  };
  const before = await count();
  await producer.send({
    topic: topics.SURGE_TOPIC_OBSERVED,
    messages: [observedReplicas(target, replicas, T0 + seconds * 1000)],
  });
  await waitFor(async () => ((await count()) > before ? true : undefined));
}

beforeAll(async () => {
  fs.writeFileSync(policyFile, POLICY);
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'rules-test' });
  producer = kafka.producer();
  await producer.connect();
  const observer = kafka.consumer({ groupId: `test-rules-observer-${run}`, maxWaitTimeInMs: 100 });
  await observer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })) });
  await admin.disconnect();
  await observer.subscribe({ topics: [topics.SURGE_TOPIC_DECISIONS], fromBeginning: true });
  await observer.run({
    eachMessage: async ({ message }) => {
      expect(message.key!.toString()).toBe(target);
      seen.push(scaleDecision.parse(JSON.parse(message.value!.toString())));
    },
  });
  afterAll(() => observer.disconnect());
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  fs.rmSync(policiesDir, { recursive: true, force: true });
});

describe('rules-engine with real Kafka and Redis', () => {
  it('turns samples into an explained decision, keeps its cooldown across a restart, and never duplicates', async () => {
    let engine = await startEngine();
    await observe(engine, 0, 2);
    await send(0, { cpu_utilization: 100 });
    const first = await waitFor(() => seen[0]);
    expect(first).toMatchObject({
      target: { id: target, kind: 'Deployment' },
      from: 2,
      to: 4,
      direction: 'up',
      eventTime: T0,
      policy: 'it-app',
    });
    expect(first.explanation.metrics[0]).toMatchObject({
      metric: 'cpu_utilization',
      value: 100,
      target: 50,
      recommendation: 4,
    });
    expect(first.explanation.constraints.map((c) => c.name)).toEqual([
      'tolerance',
      'stabilization',
      'policy-limit',
      'max-step',
      'bounds',
    ]);

    // The samples consumer records its lag once the batch that decided is committed, a moment after the decision.
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`${await engine.getUrl()}/metrics`)).text();
      return text.includes(`surge_consumer_lag{group="test-rules-${run}"`) ? text : undefined;
    });
    expect(metrics).toMatch(
      new RegExp(`surge_decisions_total\\{target="${target}",direction="up",severity="info"\\} 1`),
    );
    // The sample's event time is months old, so its reaction lands in the +Inf bucket, but it is counted.
    expect(metrics).toMatch(/surge_reaction_seconds_count 1\n/);
    expect(metrics).toMatch(
      new RegExp(`surge_consumer_lag\\{group="test-rules-${run}",topic="${topics.SURGE_TOPIC_SAMPLES}"\\} \\d+`),
    );
    expect(metrics).toMatch(/surge_paused\{scope="global"\} 0/);
    expect(metrics).toMatch(/surge_paused\{scope="policy:it-app"\} 0/);

    await engine.close();
    engine = await startEngine();
    // Replayed sample and a low load inside the 300 s scale-down window: no new decision.
    await send(0, { cpu_utilization: 100 });
    await send(60, { cpu_utilization: 10 });
    // Past the window in event time, the stored history lets the scale-down through.
    await send(400, { cpu_utilization: 10 });
    const second = await waitFor(() => seen[1]);
    expect(second).toMatchObject({ from: 4, to: 1, direction: 'down', eventTime: T0 + 400_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(seen.map((d) => [d.from, d.to])).toEqual([
      [2, 4],
      [4, 1],
    ]);
    expect(new Set(seen.map((d) => d.decisionId)).size).toBe(2);

    // An invalid edit keeps the last good policy in force and is counted.
    fs.writeFileSync(policyFile, POLICY.replace('maxReplicas: 20', 'maxReplicas: many'));
    const invalid = await waitFor(async () => {
      const text = await (await fetch(`${await engine.getUrl()}/metrics`)).text();
      return /surge_rules_invalid_policies 1/.test(text) ? text : undefined;
    });
    expect(invalid).toMatch(/surge_rules_policies 1/);
    await send(420, { cpu_utilization: 100 });
    const third = await waitFor(() => seen[2]);
    expect(third).toMatchObject({ from: 1, to: 2, direction: 'up' });

    // A global pause from the control topic stops decisions; a per-policy dry-run marks them once resumed.
    const control = (type: string, policy?: string) =>
      signedAs('control-plane', {
        key: 'control',
        value: JSON.stringify({ schemaVersion: 1, type, policy, actor: 'test', time: Date.now() }),
      });
    await producer.send({ topic: topics.SURGE_TOPIC_CONTROL, messages: [control('pause')] });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await send(440, { cpu_utilization: 200 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(seen).toHaveLength(3);
    expect(await (await fetch(`${await engine.getUrl()}/metrics`)).text()).toMatch(/surge_paused\{scope="global"\} 1/);
    await producer.send({
      topic: topics.SURGE_TOPIC_CONTROL,
      messages: [control('resume'), control('dry-run-on', 'it-app')],
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await send(450, { cpu_utilization: 200 });
    const fourth = await waitFor(() => seen[3]);
    // ceil(2 × 200 / 50) = 8, limited to the default +4 pods per 15 s: 6.
    expect(fourth).toMatchObject({ from: 2, to: 6, dryRun: true });
    await engine.close();
  }, 90_000);

  it('decides when a `for` window expires, with no sample to wake it', async () => {
    fs.writeFileSync(
      policyFile,
      `${POLICY}  rules:
    - { name: queue-deep, when: { metric: queue_depth, op: ">", value: 100, for: 2s }, action: { scaleBy: "+1" } }
`,
    );
    const engine = await startEngine();
    const before = seen.length;
    const current = seen.at(-1)!.to;
    // On target for CPU, so only the rule can move the value; it holds from 500 s and is due at 502 s.
    await send(500, { cpu_utilization: 50, queue_depth: 500 });
    const timed = await waitFor(() => seen[before], 15_000);
    expect(timed).toMatchObject({ from: current, to: current + 1, eventTime: T0 + 502_000 });
    expect(timed.explanation.trigger).toEqual({ kind: 'rule', name: 'queue-deep' });
    await engine.close();
  }, 60_000);
});

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyState, evaluate, observeSamples, type TargetState } from '@surge/decision-core';
import { parsePolicyText } from '@surge/policy';
import { Redis } from 'ioredis';
import { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observedReplicas } from './testing/observed-state';
import { testSigningEnv } from '@surge/signing/testing';

const root = path.resolve(__dirname, '../../..');
const TARGETS = 12;
const STEPS = 40;
const T0 = Date.parse('2026-03-02T08:00:00Z');
/** Every target's replicas as its executor observed them, at T0, before the first sample. */
const OBSERVED_REPLICAS = 2;
const children: ChildProcess[] = [];

const policyYaml = (i: number) => `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: e2e-${i} }
spec:
  target: { id: e2e/app-${i}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 30
  metricStaleness: 10m
  metrics: [{ metric: cpu_utilization, target: { type: Utilization, averageUtilization: 50 } }]
  behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: Pods, value: 1, periodSeconds: 30 }] } }
`;

/** A load wave per target: up, hold, down; every 15 s of event time. */
function trace(): { target: string; seconds: number; values: Record<string, number> }[] {
  const out = [];
  for (let step = 0; step < STEPS; step += 1) {
    for (let i = 0; i < TARGETS; i += 1) {
      const cpu = step < 10 ? 40 + step * 12 + i : step < 20 ? 60 : 15 + i;
      out.push({
        target: `e2e/app-${i}`,
        seconds: step * 15,
        values: { cpu_utilization: cpu },
      });
    }
  }
  return out;
}

/** What the pure core decides for the trace: the engine must publish exactly these, whatever happens to it. */
function expectedDecisions(): string[] {
  const policies = Array.from({ length: TARGETS }, (_, i) => parsePolicyText(policyYaml(i), `p${i}.yaml`)[0]!);
  const observed = [{ metric: 'replicas', value: OBSERVED_REPLICAS, timestamp: T0 }];
  const states = new Map<string, TargetState>(
    policies.map((p) => [p.target.id, observeSamples(emptyState(), observed, p.setting)]),
  );
  const ids: string[] = [];
  for (const point of trace()) {
    const policy = policies.find((p) => p.target.id === point.target)!;
    const samples = Object.entries(point.values).map(([metric, value]) => ({
      metric,
      value,
      timestamp: T0 + point.seconds * 1000,
    }));
    const result = evaluate({ policy, state: states.get(point.target)!, samples });
    states.set(point.target, result.state);
    ids.push(...result.decisions.map((d) => `${d.decisionId}:${d.from}->${d.to}`));
  }
  return ids.sort();
}

interface Scenario {
  run: string;
  env: NodeJS.ProcessEnv;
  policiesDir: string;
  seen: string[];
}

async function scenario(kafka: Kafka): Promise<Scenario> {
  const run = randomUUID().slice(0, 8);
  const policiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-e2e-policies-'));
  for (let i = 0; i < TARGETS; i += 1) fs.writeFileSync(path.join(policiesDir, `app-${i}.yaml`), policyYaml(i));
  const topics = {
    SURGE_TOPIC_SAMPLES: `test.e2e.${run}.samples`,
    SURGE_TOPIC_OBSERVED: `test.e2e.${run}.observed`,
    SURGE_TOPIC_DECISIONS: `test.e2e.${run}.decisions`,
    SURGE_TOPIC_ACTIONS: `test.e2e.${run}.actions`,
    SURGE_TOPIC_DEADLETTER: `test.e2e.${run}.dlq`,
    SURGE_TOPIC_CONTROL: `test.e2e.${run}.control`,
  };
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 6 })) });
  await admin.disconnect();
  const seen: string[] = [];
  const observer = kafka.consumer({ groupId: `test-e2e-observer-${run}`, maxWaitTimeInMs: 100 });
  await observer.connect();
  await observer.subscribe({ topics: [topics.SURGE_TOPIC_DECISIONS], fromBeginning: true });
  await observer.run({
    eachMessage: async ({ message }) =>
      void seen.push(
        (({ decisionId, from, to }) => `${decisionId}:${from}->${to}`)(JSON.parse(message.value!.toString())),
      ),
  });
  afterAll(() => observer.disconnect());
  const env = {
    ...process.env,
    ...testSigningEnv('rules-engine'),
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `test-e2e-${run}`,
    SURGE_RULES_REDIS_PREFIX: `test:e2e:${run}:`,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  return { run, env, policiesDir, seen };
}

function startEngine(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'dist/apps/rules-engine/src/main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function produce(kafka: Kafka, topic: string, points: ReturnType<typeof trace>): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  for (const point of points) {
    const timestamp = T0 + point.seconds * 1000;
    const samples = Object.entries(point.values).map(([metric, value]) => ({
      schemaVersion: 1,
      target: point.target,
      metric,
      value,
      timestamp,
    }));
    await producer.send({
      topic,
      messages: [{ key: point.target, value: JSON.stringify({ schemaVersion: 1, target: point.target, samples }) }],
    });
  }
  await producer.disconnect();
}

/** Each target's observed replicas, on the observed-state topic, waited for until the engine has folded them in. */
async function observeAll(kafka: Kafka, s: Scenario): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: s.env.SURGE_TOPIC_OBSERVED!,
    messages: Array.from({ length: TARGETS }, (_, i) => observedReplicas(`e2e/app-${i}`, OBSERVED_REPLICAS, T0)),
  });
  await producer.disconnect();
  const redis = new Redis(s.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const keys = Array.from({ length: TARGETS }, (_, i) => `${s.env.SURGE_RULES_REDIS_PREFIX}observed:e2e/app-${i}`);
      const observed = await redis.mget(...keys);
      if (observed.every((raw) => raw && JSON.parse(raw).value === OBSERVED_REPLICAS)) return;
      if (Date.now() > deadline) throw new Error('the engine did not take the observed replicas');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    redis.disconnect();
  }
}

async function settle(seen: string[], count: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (new Set(seen).size < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

let kafka: Kafka;
beforeAll(() => {
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'rules-e2e' });
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('rules-engine as a process (real Kafka and Redis)', () => {
  const expected = expectedDecisions();

  it("publishes exactly the core's decisions although it is killed mid-stream and restarted", async () => {
    expect(expected.length).toBeGreaterThan(TARGETS * 2);
    const s = await scenario(kafka);
    const points = trace();
    let engine = startEngine(s.env);
    await observeAll(kafka, s);
    await produce(kafka, s.env.SURGE_TOPIC_SAMPLES!, points.slice(0, points.length / 2));
    await settle(s.seen, 1, 30_000);
    engine.kill('SIGKILL');
    await new Promise((resolve) => engine.once('exit', resolve));
    await produce(kafka, s.env.SURGE_TOPIC_SAMPLES!, points.slice(points.length / 2));
    engine = startEngine(s.env);
    await settle(s.seen, expected.length);
    engine.kill('SIGTERM');
    // The same decision ids as the pure core, none missing and none new. At-least-once delivery may repeat a
    // message whose publication was cut by the kill; it carries the same id, so it is the same decision.
    expect([...new Set(s.seen)].sort()).toEqual(expected);
  }, 150_000);

  it('gives the same decisions with three instances sharing the partitions', async () => {
    const s = await scenario(kafka);
    const engines = [startEngine(s.env), startEngine(s.env), startEngine(s.env)];
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await observeAll(kafka, s);
    await produce(kafka, s.env.SURGE_TOPIC_SAMPLES!, trace());
    await settle(s.seen, expected.length);
    for (const engine of engines) engine.kill('SIGTERM');
    expect([...new Set(s.seen)].sort()).toEqual(expected);
  }, 150_000);
});

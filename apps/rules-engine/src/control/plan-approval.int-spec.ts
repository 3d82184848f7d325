import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AlertEvent, alertEvent, type PlanStatus, scaleDecision, type ScaleDecision } from '@surge/contracts';
import { runTopicEnv, writeOperatorsFile } from '@surge/harness';
import { Kafka, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlaneApp } from '../testing/control-plane-app';
import { startEngineApp } from '../testing/engine-app';
import { observedReplicas, waitFor } from '../testing/observed-state';

// Real: Kafka and Redis, the control plane's HTTP API with named operators, and the rules engine.
const run = randomUUID().slice(0, 8);
const target = `it/approval-${run}`;
const operators = writeOperatorsFile({ vera: 'viewer', otto: 'operator' });
const TOKENS = operators.tokens as { vera: string; otto: string };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-approval-'));
const policiesDir = path.join(dir, 'policies');
const topics = runTopicEnv(`test.approval.${run}`);
const savedEnv = { ...process.env };
const seen: ScaleDecision[] = [];
const alerts: AlertEvent[] = [];
// Event time close to the wall clock, as in production: an operator's answer is compared with the deadline.
const T0 = Date.now() - 120_000;
let kafka: Kafka;
let producer: Producer;
let controlPlane: NestFastifyApplication;
let engine: NestFastifyApplication;
let controlUrl: string;
let engineUrl: string;

const answer = (runId: string, step: number, verdict: string, token: string) =>
  fetch(`${controlUrl}/v1/control/plans/${runId}/steps/${step}/${verdict}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ reason: 'capacity for the launch' }),
  });

async function sample(seconds: number, value: number): Promise<void> {
  const timestamp = T0 + seconds * 1000;
  const samples = [{ schemaVersion: 1, target, metric: 'cpu_utilization', value, timestamp }];
  await producer.send({
    topic: topics.SURGE_TOPIC_SAMPLES,
    messages: [{ key: target, value: JSON.stringify({ schemaVersion: 1, target, samples }) }],
  });
}

/** The plan run as the engine's status shows it, once it is there. */
async function planRun(): Promise<PlanStatus | undefined> {
  const response = await fetch(`${engineUrl}/status/${encodeURIComponent(target)}`, {
    headers: { authorization: `Bearer ${TOKENS.vera}` },
  });
  if (response.status !== 200) return undefined;
  return ((await response.json()) as { plans: PlanStatus[] }).plans[0];
}

beforeAll(async () => {
  fs.mkdirSync(policiesDir);
  // Runbook 003: a step above its size waits for an operator (here: more than 4 replicas added).
  fs.writeFileSync(
    path.join(policiesDir, 'approval.yaml'),
    `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: it-approval }
spec:
  target: { id: ${target}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 20
  metricStaleness: 10m
  metrics: []
  rules:
    - name: launch
      when: { metric: cpu_utilization, op: '>', value: 80 }
      severity: P1
      plan:
        approval: { above: { replicas: 4 }, timeout: 1h, onTimeout: skip }
        steps: [{ scaleTo: 10 }]
`,
  );
  Object.assign(process.env, topics);
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'approval-test' });
  producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: Object.values(topics).map((topic) => ({ topic })) });
  await admin.disconnect();
  await producer.send({ topic: topics.SURGE_TOPIC_OBSERVED, messages: [observedReplicas(target, 2, T0)] });
  const observer = kafka.consumer({ groupId: `test-approval-observer-${run}`, maxWaitTimeInMs: 100 });
  await observer.connect();
  await observer.subscribe({ topics: [topics.SURGE_TOPIC_DECISIONS, topics.SURGE_TOPIC_ALERTS], fromBeginning: true });
  await observer.run({
    eachMessage: async ({ topic, message }) => {
      const json: unknown = JSON.parse(message.value!.toString());
      if (topic === topics.SURGE_TOPIC_ALERTS) alerts.push(alertEvent.parse(json));
      else seen.push(scaleDecision.parse(json));
    },
  });
  controlPlane = await startControlPlaneApp({ operatorsFile: operators.file }, topics);
  controlUrl = (await controlPlane.getUrl()).replace('[::1]', '127.0.0.1');
  engine = await startEngineApp({
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_OPERATORS_FILE: operators.file,
    SURGE_RULES_GROUP_ID: `test-approval-${run}`,
    SURGE_RULES_REDIS_PREFIX: `test:approval:${run}:`,
  });
  engineUrl = (await engine.getUrl()).replace('[::1]', '127.0.0.1');
  afterAll(() => observer.disconnect());
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await controlPlane?.close();
  await producer?.disconnect();
  process.env = savedEnv;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('approval of a large plan step (real Kafka and Redis)', () => {
  it('holds the step until an operator approves it; a viewer is refused with 403 and moves nothing', async () => {
    // The observation may come after the first sample: samples keep coming until the step asks, which its
    // alert tells (the status alone would show a preview of it).
    const asked = await waitFor(async () => {
      await sample(Math.round((Date.now() - T0) / 1000) - 5, 95);
      await new Promise((resolve) => setTimeout(resolve, 500));
      return alerts.find((alert) => alert.labels['alertname'] === 'SurgePlanApprovalNeeded');
    });
    expect(asked).toMatchObject({ status: 'firing', labels: { severity: 'P1' } });
    expect(asked.annotations).toMatchObject({ size: '8 replicas', deadline: expect.stringContaining('then skip') });
    const awaiting = (await planRun())!;
    expect(awaiting.steps[0]).toMatchObject({ status: 'awaiting-approval' });
    expect(awaiting.steps[0]!.approval).toMatchObject({ added: 8, onTimeout: 'skip', answer: null });
    expect(seen).toEqual([]);

    const refused = await answer(awaiting.runId, 0, 'approve', TOKENS.vera);
    expect(refused.status).toBe(403);
    expect((await answer(awaiting.runId, 0, 'approve', 'not-a-token-0123456789abcdef')).status).toBe(401);
    // Long enough for an event published by mistake to have been read and applied.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await planRun())!.steps[0]!.status).toBe('awaiting-approval');
    expect(seen).toEqual([]);

    const approved = await answer(awaiting.runId, 0, 'approve', TOKENS.otto);
    expect(approved.status).toBe(202);
    expect(await approved.json()).toMatchObject({ published: { type: 'approve', actor: 'otto' } });
    // The answer alone moves the run: no sample is sent after it.
    const decision = await waitFor(() => seen[0]);
    expect(decision).toMatchObject({ from: 2, to: 10, plan: { runId: awaiting.runId, step: 0, approvedBy: 'otto' } });
    expect(decision.explanation.summary).toContain('approved by otto: capacity for the launch');
    const after = await waitFor(async () => {
      const status = await planRun();
      return status?.steps[0]?.status === 'decided' && status;
    });
    expect(after.steps[0]!.approval!.answer).toMatchObject({ verdict: 'approved', by: 'otto' });
    await waitFor(() => alerts.some((alert) => alert.alertId === asked.alertId && alert.status === 'resolved'));
  }, 90_000);
});

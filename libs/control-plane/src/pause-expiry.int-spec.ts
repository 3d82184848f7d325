import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { kafkaEnv, loadConfig, signingEnv } from '@surge/config';
import { CONTROL_EVENT_SCHEMA_VERSION, type ControlEvent, controlEvent } from '@surge/contracts';
import { runTopicEnv } from '@surge/harness';
import { KafkaModule } from '@surge/kafka';
import { createServiceApp, ObservabilityModule } from '@surge/service-kit';
import { signedAs, testSigningEnv } from '@surge/signing/testing';
import { Kafka, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTROL_PLANE_SIGNING, ControlPlaneModule } from './control-plane.module';

// Real Kafka: the control plane's HTTP API, and a reader of the control topic standing in for the audit trail.
const run = randomUUID().slice(0, 8);
const ADMIN_TOKEN = `expiry-admin-${run}-0123456789`;
const topics = runTopicEnv(`test.pause-resume.${run}`);
const seen: ControlEvent[] = [];
let kafka: Kafka;
let producer: Producer;
let reader: Consumer;
let app: NestFastifyApplication | undefined;
let url: string;

async function startControlPlane(): Promise<void> {
  @Module({
    imports: [
      ObservabilityModule.forRoot({ appName: 'control-plane-test', logLevel: 'warn', adminToken: ADMIN_TOKEN }),
      KafkaModule.forRoot({
        config: loadConfig('control-plane-test', z.object({ ...kafkaEnv, ...signingEnv }), {
          ...process.env,
          ...testSigningEnv('control-plane'),
          ...topics,
        }),
        clientId: 'control-plane-test',
        topics: ['control', 'deadLetter'],
        signing: CONTROL_PLANE_SIGNING,
      }),
      ControlPlaneModule,
    ],
  })
  class ControlPlaneTestModule {}
  app = await createServiceApp(ControlPlaneTestModule, { name: 'control-plane-test' });
  await app.listen(0, '127.0.0.1');
  url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

const post = (action: string, body: object) =>
  fetch(`${url}/v1/control/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });

const resumesBySurge = () => seen.filter((event) => event.type === 'resume' && event.actor === 'surge');

beforeAll(async () => {
  kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'pause-resume-test' });
  producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })),
  });
  await admin.disconnect();
  reader = kafka.consumer({ groupId: `test-pause-resume-reader-${run}`, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topics: [topics.SURGE_TOPIC_CONTROL], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => void seen.push(controlEvent.parse(JSON.parse(message.value!.toString()))),
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await reader?.disconnect();
  await producer?.disconnect();
});

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the control plane says so when a pause expires (real Kafka)', () => {
  it('resumes at once, at start, a pause that expired while it was down', async () => {
    // Written as the control plane writes it, before any control plane runs.
    const pause = { schemaVersion: 3, type: 'pause', scope: 'pause:policy:old', policy: 'old', actor: 'ops' };
    const value = JSON.stringify({ ...pause, time: Date.now() - 60_000, until: Date.now() - 30_000 });
    await producer.send({
      topic: topics.SURGE_TOPIC_CONTROL,
      messages: [signedAs('control-plane', { key: 'pause:policy:old', value })],
    });
    await startControlPlane();
    const [resume] = await waitFor(() => resumesBySurge().length > 0 && resumesBySurge());
    expect(resume).toMatchObject({
      policy: 'old',
      scope: 'pause:policy:old',
      reason: expect.stringMatching(/^pause until .* expired$/),
    });
  }, 60_000);

  it('publishes the resume of a pause for 1 s when it expires, once', async () => {
    const response = await post('pause', { forSeconds: 1, reason: 'deploy' });
    expect(response.status).toBe(202);
    const { published } = (await response.json()) as { published: ControlEvent & { until: number } };
    expect(published).toMatchObject({
      schemaVersion: CONTROL_EVENT_SCHEMA_VERSION,
      type: 'pause',
      until: expect.any(Number),
    });
    const resume = await waitFor(() => resumesBySurge().find((event) => event.scope === 'pause:global'));
    expect(resume.reason).toBe(`pause until ${new Date(published.until).toISOString()} expired`);
    expect(resume.time).toBeGreaterThanOrEqual(published.until);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(resumesBySurge()).toHaveLength(2);
  }, 60_000);

  it('refuses an until in the past with a 400 naming the field', async () => {
    const response = await post('pause', { until: Date.now() - 1000 });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ issues: [{ path: 'until' }] });
  });
});

import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { queueEvent, type QueueEvent } from '@surge/contracts';
import { runTopicEnv, writeOperatorsFile } from '@surge/harness';
import { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, waitUntil } from '../testing/test-app';

// Real: Redis, Kafka and the waiting room on a port; the audit record is read back from the queue-events topic.
const run = randomUUID().slice(0, 8);
const topics = runTopicEnv(`test.vq-audit.${run}`);
const { file, tokens } = writeOperatorsFile({ otto: 'operator', ada: 'admin' });
const events: QueueEvent[] = [];
let vq: TestApp;

beforeAll(async () => {
  const brokers = process.env.KAFKA_BROKERS!;
  vq = await startTestApp({
    KAFKA_BROKERS: brokers,
    VQ_DECISION_GROUP: `test-vq-audit-${run}`,
    SURGE_OPERATORS_FILE: file,
    ...topics,
  });
  const consumer = new Kafka({ brokers: brokers.split(','), clientId: 'vq-audit-test' }).consumer({
    groupId: `test-vq-audit-observer-${run}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.SURGE_TOPIC_QUEUE_EVENTS], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => void events.push(queueEvent.parse(JSON.parse(message.value!.toString()))),
  });
  afterAll(() => consumer.disconnect());
}, 120_000);

afterAll(async () => {
  await vq?.close();
  rmSync(path.dirname(file), { recursive: true, force: true });
});

const configure = (room: string, token: string) =>
  vq.call('PUT', `/v1/admin/rooms/${room}`, { maxActive: 7 }, { authorization: `Bearer ${token}` });

describe('room changes by named operators (real Redis and Kafka)', () => {
  it('refuses an operator-role token with 403 and changes nothing', async () => {
    const refused = await configure('refused', tokens['otto']!);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ message: expect.stringContaining('this needs admin') });
    const stats = await vq.call('GET', '/v1/admin/rooms/refused/stats', undefined, {
      authorization: `Bearer ${tokens['ada']!}`,
    });
    expect(stats.status).toBe(404);
  });

  it("audits an admin's change under the admin's name", async () => {
    const changed = await configure('sale', tokens['ada']!);
    expect(changed.status).toBe(200);
    const configured = await waitUntil(async () =>
      events.find((event) => event.type === 'configured' && event.room === 'sale'),
    );
    expect(configured).toMatchObject({ source: 'admin', actor: 'ada', maxActive: 7, settings: expect.any(Array) });
    expect(events.some((event) => event.room === 'refused')).toBe(false);
  });
});

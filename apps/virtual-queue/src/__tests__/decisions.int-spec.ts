import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CONTROL_EVENT_SCHEMA_VERSION,
  SCALE_DECISION_SCHEMA_VERSION,
  type ActionResult,
  controlScopeOf,
  type ControlEventType,
  type QueueEvent,
  type ScaleDecisionInput,
} from '@surge/contracts';
import { SurgeProducer } from '@surge/kafka';
import { RoomExecutorService } from '../decisions/room-executor.service';
import { RedisProvider } from '../redis/redis.provider';
import { deleteKeys } from '../testing/delete-keys';
import { sleep, startTestApp, type TestApp, waitUntil } from '../testing/test-app';
import { runTopicEnv } from '@surge/harness';
import { signedAs } from '@surge/signing/testing';

const run = randomUUID().slice(0, 8);
const topics = runTopicEnv(`test.vq.${run}`);
let t: TestApp;
let kafka: Kafka;
const seen: { topic: string; value: unknown }[] = [];

function decision(
  setting: string,
  from: number,
  to: number,
  extra: Partial<ScaleDecisionInput> = {},
): ScaleDecisionInput {
  return {
    schemaVersion: SCALE_DECISION_SCHEMA_VERSION,
    decisionId: `dec-${randomUUID()}`,
    target: { kind: 'VirtualQueue', id: 'shop/sale' },
    setting,
    from,
    to,
    direction: to >= from ? 'up' : 'down',
    severity: 'info',
    dryRun: false,
    policy: 'checkout-capacity',
    policyVersion: '1',
    eventTime: Date.now(),
    explanation: {
      summary: 'backend scaled out',
      trigger: { kind: 'metric', name: 'checkout_replicas' },
      final: to,
      winner: 'test',
    },
    ...extra,
  };
}

beforeAll(async () => {
  const brokers = process.env.KAFKA_BROKERS!;
  t = await startTestApp({
    KAFKA_BROKERS: brokers,
    VQ_DECISION_GROUP: `test-vq-${run}`,
    VQ_REPORT_INTERVAL_MS: '300',
    ...topics,
  });
  kafka = new Kafka({ brokers: brokers.split(','), clientId: 'vq-test' });
  const consumer = kafka.consumer({ groupId: `test-vq-observer-${run}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({
    topics: [topics.SURGE_TOPIC_ACTIONS, topics.SURGE_TOPIC_QUEUE_EVENTS, topics.SURGE_TOPIC_SAMPLES],
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ topic, message }) => void seen.push({ topic, value: JSON.parse(message.value!.toString()) }),
  });
  afterAll(() => consumer.disconnect());
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('scale decisions drive the room (real Kafka)', () => {
  it('applies maxActive, admitPerMinute and mode decisions and reports action results and queue events', async () => {
    await t.admin('PUT', '/v1/admin/rooms/sale', { maxActive: 0, admitPerMinute: 600, targetId: 'shop/sale' });
    for (const id of ['a', 'b', 'c']) await t.call('POST', '/v1/rooms/sale/join', { visitorId: id });
    const producer = kafka.producer();
    await producer.connect();
    const capacity = decision('maxActive', 0, 2);
    const rate = decision('admitPerMinute', 600, 1200);
    const bogus = decision('replicas', 1, 3);
    const other = { ...decision('maxActive', 0, 50), target: { kind: 'Deployment', id: 'shop/sale' } };
    await producer.send({
      topic: topics.SURGE_TOPIC_DECISIONS,
      messages: [capacity, rate, bogus, other, capacity].map((d) =>
        signedAs('rules-engine', { key: d.target.id, value: JSON.stringify(d) }),
      ),
    });

    const results = await waitUntil(async () => {
      const found = seen.filter((m) => m.topic === topics.SURGE_TOPIC_ACTIONS).map((m) => m.value as ActionResult);
      return found.length >= 4 ? found : null;
    }, 30_000);
    expect(results.map((r) => [r.setting, r.status])).toEqual([
      ['maxActive', 'applied'],
      ['admitPerMinute', 'applied'],
      ['replicas', 'rejected'],
      ['maxActive', 'duplicate'],
    ]);
    expect(results[0]).toMatchObject({
      decisionId: capacity.decisionId,
      before: 0,
      after: 2,
      verified: true,
      executor: 'virtual-queue',
    });
    const stats = (await (await t.admin('GET', '/v1/admin/rooms/sale/stats')).json()) as {
      config: { maxActive: number; admitPerMinute: number };
    };
    expect(stats.config).toMatchObject({ maxActive: 2, admitPerMinute: 1200 });
    await waitUntil(
      async () =>
        ((await (await t.admin('GET', '/v1/admin/rooms/sale/stats')).json()) as { active: number }).active === 2,
    );

    await producer.send({
      topic: topics.SURGE_TOPIC_DECISIONS,
      messages: [signedAs('rules-engine', { key: 'shop/sale', value: JSON.stringify(decision('mode', 1, 0)) })],
    });
    // A closed room turns new visitors away (those already in line keep their place for a reopening).
    await waitUntil(
      async () => (await t.call('POST', '/v1/rooms/sale/join', { visitorId: `late-${randomUUID()}` })).status === 409,
    );
    await producer.disconnect();

    const events = await waitUntil(async () => {
      const found = seen.filter((m) => m.topic === topics.SURGE_TOPIC_QUEUE_EVENTS).map((m) => m.value as QueueEvent);
      return found.some((e) => e.type === 'closed') &&
        found.some((e) => e.type === 'admissions' && (e.admitted ?? 0) > 0)
        ? found
        : null;
    }, 30_000);
    expect(events.find((e) => e.type === 'capacity-changed' && e.maxActive === 2)).toMatchObject({
      decisionId: capacity.decisionId,
    });
    // Every change is audited with its source, and the room's stats say who set each setting last.
    const configured = events.filter((e) => e.type === 'configured' && e.room === 'sale');
    expect(configured[0]).toMatchObject({ source: 'admin', maxActive: 0 });
    expect(configured.find((e) => e.decisionId === capacity.decisionId)).toMatchObject({
      source: 'decision',
      settings: ['maxActive'],
    });
    const sources = (
      (await (await t.admin('GET', '/v1/admin/rooms/sale/stats')).json()) as {
        sources: Record<string, string>;
      }
    ).sources;
    expect(sources).toMatchObject({ maxActive: 'decision', admitPerMinute: 'decision', mode: 'decision' });
    expect(sources).toMatchObject({ targetId: 'admin', sessionSeconds: 'default' });
    // A sale sharded over two rooms with one target id: capacity splits evenly, reported as the sum.
    await t.admin('PUT', '/v1/admin/rooms/big-0', { maxActive: 1, targetId: 'shop/big' });
    await t.admin('PUT', '/v1/admin/rooms/big-1', { maxActive: 1, targetId: 'shop/big' });
    const split = { ...decision('maxActive', 2, 10), target: { kind: 'VirtualQueue', id: 'shop/big' } };
    const splitter = kafka.producer();
    await splitter.connect();
    await splitter.send({
      topic: topics.SURGE_TOPIC_DECISIONS,
      messages: [signedAs('rules-engine', { key: 'shop/big', value: JSON.stringify(split) })],
    });
    await splitter.disconnect();
    const splitResult = await waitUntil(async () =>
      seen
        .filter((m) => m.topic === topics.SURGE_TOPIC_ACTIONS)
        .map((m) => m.value as ActionResult)
        .find((r) => r.decisionId === split.decisionId),
    );
    expect(splitResult).toMatchObject({ status: 'applied', before: 2, after: 10, verified: true });
    for (const shard of ['big-0', 'big-1'])
      expect(
        ((await (await t.admin('GET', `/v1/admin/rooms/${shard}/stats`)).json()) as { config: { maxActive: number } })
          .config.maxActive,
      ).toBe(5);

    const samples = await waitUntil(async () =>
      seen
        .filter((m) => m.topic === topics.SURGE_TOPIC_SAMPLES)
        .map((m) => m.value as { target: string; samples: { metric: string; value: number }[] }),
    );
    expect(samples[0]!.target).toBe('shop/sale');
    expect(samples[0]!.samples.map((s) => s.metric)).toContain('queue_waiting');

    // The decision consumer's lag is exported under the name every Surge service shares.
    const metrics = await (await t.call('GET', '/metrics')).text();
    expect(metrics).toMatch(
      new RegExp(
        `surge_consumer_lag\\{group="test-vq-${run}",topic="${topics.SURGE_TOPIC_DECISIONS.replace(/\./g, '\\.')}"\\} 0`,
      ),
    );
  }, 90_000);
});

/** Signed as its one producer signs it: decisions by the rules engine, control events by the control plane. */
async function send(topic: string, key: string, value: unknown): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const signer = topic === topics.SURGE_TOPIC_CONTROL ? 'control-plane' : 'rules-engine';
  await producer.send({ topic, messages: [signedAs(signer, { key, value: JSON.stringify(value) })] });
  await producer.disconnect();
}

function resultsFor(decisionId: string): ActionResult[] {
  return seen
    .filter((m) => m.topic === topics.SURGE_TOPIC_ACTIONS)
    .map((m) => m.value as ActionResult)
    .filter((r) => r.decisionId === decisionId);
}

/** Waits for a decision's first result, then a little longer, so a second result would have been seen. */
async function settledResults(decisionId: string): Promise<ActionResult[]> {
  await waitUntil(async () => resultsFor(decisionId).length > 0, 30_000);
  await sleep(1500);
  return resultsFor(decisionId);
}

async function roomConfig(room: string): Promise<{ maxActive: number; mode: string }> {
  const stats = (await (await t.admin('GET', `/v1/admin/rooms/${room}/stats`)).json()) as {
    config: { maxActive: number; mode: string };
  };
  return stats.config;
}

describe('room decisions go through the executor pipeline (real Kafka and Redis)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a global dry-run on the control topic reaches room decisions: the room is unchanged', async () => {
    await t.admin('PUT', '/v1/admin/rooms/dry', { maxActive: 3, targetId: 'shop/dry' });
    const control = (type: ControlEventType) => ({
      schemaVersion: CONTROL_EVENT_SCHEMA_VERSION,
      type,
      scope: controlScopeOf({ type }),
      actor: 'test',
      time: Date.now(),
    });
    const guardrails = t.app.get(RoomExecutorService).guardrails;
    await send(topics.SURGE_TOPIC_CONTROL, controlScopeOf({ type: 'dry-run-on' }), control('dry-run-on'));
    await waitUntil(async () => guardrails.current().dryRun);
    try {
      const dry = { ...decision('maxActive', 3, 9), target: { kind: 'VirtualQueue', id: 'shop/dry' } };
      await send(topics.SURGE_TOPIC_DECISIONS, 'shop/dry', dry);
      const results = await settledResults(dry.decisionId);
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ status: 'dry-run', before: 3, after: 3 });
      expect(results[0]!.note).toContain('would set maxActive to 9');
      expect((await roomConfig('dry')).maxActive).toBe(3);
    } finally {
      await send(topics.SURGE_TOPIC_CONTROL, controlScopeOf({ type: 'dry-run-off' }), control('dry-run-off'));
      await waitUntil(async () => !guardrails.current().dryRun);
    }
  }, 60_000);

  it('a room that does not exist is rejected, naming the target id', async () => {
    const ghost = { ...decision('maxActive', 1, 2), target: { kind: 'VirtualQueue', id: 'shop/ghost' } };
    await send(topics.SURGE_TOPIC_DECISIONS, 'shop/ghost', ghost);
    const results = await settledResults(ghost.decisionId);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'rejected', error: 'no room has target id "shop/ghost"' });
  }, 60_000);

  it('a transient Redis failure during apply is retried: the room changes, with one applied result', async () => {
    await t.admin('PUT', '/v1/admin/rooms/flaky', { maxActive: 4, targetId: 'shop/flaky' });
    const queue = t.app.get(RedisProvider).queue;
    const configure = queue.configure.bind(queue);
    let writes = 0;
    // The room's first write fails as ioredis fails a command whose connection was refused.
    vi.spyOn(queue, 'configure').mockImplementation(async (room, config) => {
      if (room === 'flaky' && writes++ === 0)
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
      return configure(room, config);
    });
    const flaky = { ...decision('maxActive', 4, 8), target: { kind: 'VirtualQueue', id: 'shop/flaky' } };
    await send(topics.SURGE_TOPIC_DECISIONS, 'shop/flaky', flaky);
    const results = await settledResults(flaky.decisionId);
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'applied', before: 4, after: 8, verified: true });
    expect((await roomConfig('flaky')).maxActive).toBe(8);
  }, 60_000);

  it('a decision redelivered after its result failed to publish reports the change it made, not a duplicate', async () => {
    await t.admin('PUT', '/v1/admin/rooms/crash', { maxActive: 5, targetId: 'shop/crash' });
    const producer = t.app.get(SurgeProducer);
    const sendJson = producer.sendJson.bind(producer);
    let failed = false;
    // The process dies after applying and before the broker has the result: the offset is not committed.
    vi.spyOn(producer, 'sendJson').mockImplementation(async (topic, key, value) => {
      if (topic === topics.SURGE_TOPIC_ACTIONS && key === 'shop/crash' && !failed) {
        failed = true;
        throw new Error('broker not available');
      }
      return sendJson(topic, key, value);
    });
    const crash = { ...decision('maxActive', 5, 7), target: { kind: 'VirtualQueue', id: 'shop/crash' } };
    await send(topics.SURGE_TOPIC_DECISIONS, 'shop/crash', crash);
    const results = await settledResults(crash.decisionId);
    expect(failed).toBe(true);
    expect(results.map((r) => r.status)).toEqual(['applied']);
    expect(results[0]).toMatchObject({ before: 5, after: 7 });
    expect((await roomConfig('crash')).maxActive).toBe(7);
  }, 60_000);

  it('a room whose state is gone answers 503 and is audited once as unavailable', async () => {
    await t.admin('PUT', '/v1/admin/rooms/lost', { maxActive: 1 });
    // Only this room's keys, as a partial loss of Redis would leave it: the rest of the shared Redis is untouched.
    await deleteKeys(t.config.REDIS_URL, [`${t.config.VQ_KEY_PREFIX}vq:{lost}:`]);
    for (const visitorId of ['x', 'y']) {
      const response = await t.call('POST', '/v1/rooms/lost/join', { visitorId });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const gone = () =>
      seen
        .filter((m) => m.topic === topics.SURGE_TOPIC_QUEUE_EVENTS)
        .map((m) => m.value as QueueEvent)
        .filter((e) => e.room === 'lost' && e.type === 'unavailable');
    await waitUntil(async () => gone().length > 0, 15_000);
    // Two refused joins, one event: a second one would have arrived by now.
    await sleep(1000);
    expect(gone()).toHaveLength(1);
  }, 30_000);
});

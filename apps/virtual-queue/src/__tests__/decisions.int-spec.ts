import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SCALE_DECISION_SCHEMA_VERSION,
  type ActionResult,
  type QueueEvent,
  type ScaleDecisionInput,
} from '@surge/contracts';
import { startTestApp, type TestApp, waitUntil } from './test-app';

const run = randomUUID().slice(0, 8);
const topics = {
  SURGE_TOPIC_DECISIONS: `test.vq.${run}.decisions`,
  SURGE_TOPIC_ACTIONS: `test.vq.${run}.actions`,
  SURGE_TOPIC_QUEUE_EVENTS: `test.vq.${run}.queue-events`,
  SURGE_TOPIC_SAMPLES: `test.vq.${run}.samples`,
  SURGE_TOPIC_DEADLETTER: `test.vq.${run}.deadletter`,
};
let t: TestApp;
let kafka: Kafka;
const seen: { topic: string; value: unknown }[] = [];
const savedEnv = { ...process.env };

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
  // resolveTopics() reads the environment when the app's Kafka provider is built.
  Object.assign(process.env, topics);
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
  process.env = savedEnv;
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
      messages: [capacity, rate, bogus, other, capacity].map((d) => ({ key: d.target.id, value: JSON.stringify(d) })),
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
      messages: [{ key: 'shop/sale', value: JSON.stringify(decision('mode', 1, 0)) }],
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
    // A sale sharded over two rooms with one target id: capacity splits evenly, reported as the sum.
    await t.admin('PUT', '/v1/admin/rooms/big-0', { maxActive: 1, targetId: 'shop/big' });
    await t.admin('PUT', '/v1/admin/rooms/big-1', { maxActive: 1, targetId: 'shop/big' });
    const split = { ...decision('maxActive', 2, 10), target: { kind: 'VirtualQueue', id: 'shop/big' } };
    const splitter = kafka.producer();
    await splitter.connect();
    await splitter.send({
      topic: topics.SURGE_TOPIC_DECISIONS,
      messages: [{ key: 'shop/big', value: JSON.stringify(split) }],
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

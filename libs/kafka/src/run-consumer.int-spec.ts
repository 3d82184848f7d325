import { randomUUID } from 'node:crypto';
import { deadLetterRecord, decode } from '@surge/contracts';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  consumerMetricsFor,
  createKafka,
  ensureTopics,
  jsonDecoder,
  PermanentFailure,
  runBatchConsumer,
  runConsumer,
  SurgeProducer,
  type RunningConsumer,
} from './index';

const item = z.object({ n: z.number().int() });
const decodeItem = jsonDecoder('item', item);
const brokers = () => (process.env['KAFKA_BROKERS'] ?? '').split(',');

async function readAll(kafka: Kafka, topic: string, count: number, timeoutMs = 20_000): Promise<Buffer[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const values: Buffer[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${values.length}/${count} from ${topic}`)), timeoutMs);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          values.push(message.value!);
          if (values.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  try {
    await done;
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('Kafka consumer helpers against a real broker', () => {
  let kafka: Kafka;
  let producer: SurgeProducer;
  const running: RunningConsumer[] = [];

  beforeAll(async () => {
    kafka = createKafka({ brokers: brokers(), clientId: 'kafka-int-spec' });
    producer = new SurgeProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await producer.disconnect();
  });

  it('creates topics with the configured partition count, never by auto-creation', async () => {
    const topic = `t-${randomUUID()}`;
    expect(await ensureTopics(kafka, [topic], 4)).toEqual([topic]);
    expect(await ensureTopics(kafka, [topic], 4)).toEqual([]);
    const admin = kafka.admin();
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(meta.topics[0]!.partitions).toHaveLength(4);
  });

  it('dead-letters invalid and permanently failing messages with their reason and bytes, and goes on', async () => {
    const topic = `t-${randomUUID()}`;
    const dlq = `dlq-${randomUUID()}`;
    await ensureTopics(kafka, [topic, dlq], 1);
    const handled: number[] = [];
    const registry = new Registry();
    const groupId = `g-${randomUUID()}`;
    const consumer = await runConsumer({
      kafka,
      groupId,
      topics: [topic],
      producer,
      deadLetterTopic: dlq,
      metrics: consumerMetricsFor(registry),
      decode: decodeItem,
      retryDelayMs: 10,
      handle: async ({ n }) => {
        if (n === 13) throw new PermanentFailure('unlucky');
        handled.push(n);
      },
    });
    running.push(consumer);
    await producer.send(topic, [
      { key: 'a', value: JSON.stringify({ n: 1 }) },
      { key: 'a', value: '{not json' },
      { key: 'a', value: JSON.stringify({ n: 'two' }) },
      { key: 'a', value: JSON.stringify({ n: 13 }) },
      { key: 'a', value: JSON.stringify({ n: 4 }) },
    ]);
    const parked = (await readAll(kafka, dlq, 3)).map((v) => decode('dlq', deadLetterRecord, JSON.parse(v.toString())));
    expect(parked.map((r) => r.reason)).toEqual(['invalid-json', 'schema-violation', 'handler-failed']);
    expect(Buffer.from(parked[0]!.valueBase64, 'base64').toString()).toBe('{not json');
    expect(parked[2]).toMatchObject({
      attempts: 1,
      error: 'unlucky',
      key: 'a',
      source: { topic, partition: 0, offset: '3' },
    });
    await expect.poll(() => handled, { timeout: 10_000 }).toEqual([1, 4]);
    const exported = await registry.metrics();
    for (const reason of ['invalid-json', 'schema-violation', 'handler-failed'])
      expect(exported).toContain(`surge_dead_letters_total{topic="${topic}",reason="${reason}"} 1`);
    // The lag is refreshed once the batch is done, which can be just after the last handle call returned.
    await expect
      .poll(async () => registry.metrics(), { timeout: 5_000 })
      .toContain(`surge_consumer_lag{group="${groupId}",topic="${topic}"} 0`);
  });

  it('commits only handled offsets: a restarted group resumes after the last handled message', async () => {
    const topic = `t-${randomUUID()}`;
    const dlq = `dlq-${randomUUID()}`;
    const groupId = `g-${randomUUID()}`;
    await ensureTopics(kafka, [topic, dlq], 1);
    await producer.send(
      topic,
      [1, 2, 3].map((n) => ({ key: 'k', value: JSON.stringify({ n }) })),
    );
    const first: number[] = [];
    const options = {
      kafka,
      groupId,
      topics: [topic],
      producer,
      deadLetterTopic: dlq,
      decode: jsonDecoder('item', item),
    };
    const consumer = await runConsumer({ ...options, handle: async ({ n }) => void first.push(n) });
    await expect.poll(() => first.length, { timeout: 15_000 }).toBe(3);
    await consumer.stop();
    await producer.send(
      topic,
      [4, 5].map((n) => ({ key: 'k', value: JSON.stringify({ n }) })),
    );
    const second: number[] = [];
    running.push(await runConsumer({ ...options, handle: async ({ n }) => void second.push(n) }));
    await expect.poll(() => second, { timeout: 15_000 }).toEqual([4, 5]);
  });

  it('hands a batch consumer whole batches, and isolates a poisoned record', async () => {
    const topic = `t-${randomUUID()}`;
    const dlq = `dlq-${randomUUID()}`;
    await ensureTopics(kafka, [topic, dlq], 1);
    const stored: number[] = [];
    running.push(
      await runBatchConsumer({
        kafka,
        groupId: `g-${randomUUID()}`,
        topics: [topic],
        producer,
        deadLetterTopic: dlq,
        decode: decodeItem,
        retryDelayMs: 10,
        handleBatch: async (items) => {
          if (items.some((i) => i.item.n < 0)) throw new PermanentFailure('negative');
          stored.push(...items.map((i) => i.item.n));
        },
      }),
    );
    await producer.send(
      topic,
      [1, 2, -3, 4].map((n) => ({ key: 'k', value: JSON.stringify({ n }) })),
    );
    const parked = await readAll(kafka, dlq, 1);
    expect(JSON.parse(parked[0]!.toString())).toMatchObject({ reason: 'handler-failed', source: { offset: '2' } });
    await expect.poll(() => [...stored].sort(), { timeout: 10_000 }).toEqual([1, 2, 4]);
  });

  async function endOffset(topic: string): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, p) => sum + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  for (const mode of ['message', 'batch'] as const)
    it(`${mode} consumer: a dependency that is down holds the partition at the message, then goes on in order`, async () => {
      const topic = `t-${randomUUID()}`;
      const dlq = `dlq-${randomUUID()}`;
      await ensureTopics(kafka, [topic, dlq], 1);
      let down = true;
      const attemptsOf2: number[] = [];
      const handled: number[] = [];
      const store = async (n: number) => {
        if (n === 2) attemptsOf2.push(Date.now());
        if (n === 2 && down) throw new Error('connect ECONNREFUSED 127.0.0.1:1');
        handled.push(n);
      };
      const common = { kafka, groupId: `g-${randomUUID()}`, topics: [topic], producer, deadLetterTopic: dlq };
      const consumer =
        mode === 'message'
          ? await runConsumer({ ...common, decode: decodeItem, retryDelayMs: 20, handle: ({ n }) => store(n) })
          : await runBatchConsumer({
              ...common,
              decode: decodeItem,
              retryDelayMs: 20,
              handleBatch: async (items) => {
                for (const { item } of items) await store(item.n);
              },
            });
      running.push(consumer);
      await producer.send(
        topic,
        [1, 2, 3].map((n) => ({ key: 'k', value: JSON.stringify({ n }) })),
      );
      await expect.poll(() => attemptsOf2.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(6);
      expect(consumer.retrying()).toEqual([
        expect.objectContaining({ topic, partition: 0, error: 'connect ECONNREFUSED 127.0.0.1:1' }),
      ]);
      expect(handled.filter((n) => n !== 1)).toEqual([]);
      // The waits grow: attempt 6 comes at least 20+40+80+160+320 ms after the first.
      expect(attemptsOf2[5]! - attemptsOf2[0]!).toBeGreaterThanOrEqual(600);
      down = false;
      await expect.poll(() => handled.slice(-2), { timeout: 15_000 }).toEqual([2, 3]);
      expect(consumer.retrying()).toEqual([]);
      expect(await endOffset(dlq)).toBe(0);
    });

  it('never parks a record of the dead-letter topic on that topic again', async () => {
    const dlq = `dlq-${randomUUID()}`;
    await ensureTopics(kafka, [dlq], 1);
    const seen: string[] = [];
    running.push(
      await runConsumer({
        kafka,
        groupId: `g-${randomUUID()}`,
        topics: [dlq],
        producer,
        deadLetterTopic: dlq,
        decode: decodeItem,
        handle: async ({ n }) => {
          seen.push(String(n));
          throw new PermanentFailure('cannot store it');
        },
      }),
    );
    await producer.send(dlq, [
      { key: 'k', value: JSON.stringify({ n: 7 }) },
      { key: 'k', value: 'garbage' },
    ]);
    await expect.poll(() => seen, { timeout: 15_000 }).toEqual(['7']);
    // Long enough for a re-parked record to have been written and read back once.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await endOffset(dlq)).toBe(2);
    expect(seen).toEqual(['7']);
  });
});

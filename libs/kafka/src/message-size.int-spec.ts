import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, ensureTopics, MessageTooLargeError, SurgeProducer } from './index';

const brokers = () => (process.env['KAFKA_BROKERS'] ?? '').split(',');

// The shared broker runs with Kafka's default message.max.bytes (1 MiB): one request of 1.5 MB to one partition is
// over it, whoever sends it.
describe('SurgeProducer under the broker message size, against a real broker', () => {
  let kafka: Kafka;
  let producer: SurgeProducer;
  let topic: string;

  beforeAll(async () => {
    kafka = createKafka({ brokers: brokers(), clientId: 'message-size-int-spec' });
    producer = new SurgeProducer(kafka);
    await producer.connect();
    topic = `message-size-${randomUUID()}`;
    await ensureTopics(kafka, [topic], 1);
  });

  afterAll(async () => producer?.disconnect());

  it('writes a 1.5 MB send to one partition as requests the broker takes, every message in order', async () => {
    const messages = Array.from({ length: 15 }, (_, i) => ({ key: 'one', value: `${i}:`.padEnd(100_000, 'x') }));
    await producer.send(topic, messages, 30_000);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchTopicOffsets(topic);
      expect(Number(offsets!.high)).toBe(15);
    } finally {
      await admin.disconnect();
    }
    const consumer = kafka.consumer({ groupId: `message-size-${randomUUID()}`, maxWaitTimeInMs: 100 });
    const received: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void received.push(message.value!.toString()) });
      await expect.poll(() => received.length, { timeout: 30_000 }).toBe(15);
    } finally {
      await consumer.disconnect();
    }
    expect(received).toEqual(messages.map((m) => m.value));
  });

  it('refuses a message over KAFKA_MAX_MESSAGE_BYTES as too large, not as a broker failure, and stays usable', async () => {
    const send = producer.send(topic, [{ key: 'big', value: 'x'.repeat(1_000_000) }]);
    await expect(send).rejects.toBeInstanceOf(MessageTooLargeError);
    await producer.send(topic, [{ key: 'after', value: 'ok' }]);
  });
});

import { type Kafka, type PartitionMetadata, Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { MessageTooLargeError } from './message-size';
import { SurgeProducer } from './surge-producer';

interface FakeRequest {
  producer: number;
  topicMessages: { topic: string; messages: { key: string | null; value: string; partition?: number }[] }[];
  settle: (error?: Error) => void;
}

const partitionMetadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: partitionId % 3,
    replicas: [0, 1, 2],
    isr: [0, 1, 2],
  }));

/**
 * A kafkajs stand-in that records each produce call and lets the test acknowledge or fail it; its admin lists
 * `partitions` partitions for every topic.
 */
function fakeKafka(partitions = 1) {
  const requests: FakeRequest[] = [];
  const events: string[] = [];
  let metadataFetches = 0;
  let producers = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
        metadataFetches += 1;
        return { topics: topics.map((name) => ({ name, partitions: partitionMetadata(partitions) })) };
      },
    }),
    producer: () => {
      const id = (producers += 1);
      events.push(`created:${id}`);
      return {
        connect: async () => void events.push(`connected:${id}`),
        disconnect: async () => void events.push(`disconnected:${id}`),
        sendBatch: ({ topicMessages }: { topicMessages: FakeRequest['topicMessages'] }) =>
          new Promise<void>((resolve, reject) => {
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            requests.push({
              producer: id,
              topicMessages,
              settle: (error) => {
                inFlight -= 1;
                if (error) reject(error);
                else resolve();
              },
            });
          }),
      };
    },
  } as unknown as Kafka;
  return { kafka, requests, events, maxInFlight: () => maxInFlight, metadataFetches: () => metadataFetches };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const message = (value: string) => ({ key: value, value });
/** As kafkajs is handed it: on the only partition of the fake's topics. */
const onPartition0 = (value: string) => ({ ...message(value), partition: 0 });

describe('SurgeProducer', () => {
  it('keeps one merged send in flight and sends what arrived meanwhile together, in order', async () => {
    const fake = fakeKafka();
    const producer = new SurgeProducer(fake.kafka);
    await producer.connect();

    const first = producer.send('samples', [message('a')]);
    await tick();
    const second = producer.send('samples', [message('b')]);
    const third = producer.sendBatch([
      { topic: 'samples', messages: [message('c')] },
      { topic: 'actions', messages: [message('x')] },
    ]);
    await tick();
    expect(fake.requests).toHaveLength(1);

    fake.requests[0]!.settle();
    await first;
    await tick();
    // One kafkajs call per topic-partition, side by side.
    expect(fake.requests.slice(1).map((r) => r.topicMessages)).toEqual([
      [{ topic: 'samples', messages: [onPartition0('b'), onPartition0('c')] }],
      [{ topic: 'actions', messages: [onPartition0('x')] }],
    ]);
    fake.requests[1]!.settle();
    fake.requests[2]!.settle();
    await Promise.all([second, third]);
    expect(fake.maxInFlight()).toBe(2);
  });

  it('hands kafkajs one partition per call, each message where the Java-compatible partitioner puts its key', async () => {
    const fake = fakeKafka(3);
    const producer = new SurgeProducer(fake.kafka);
    await producer.connect();
    const messages = Array.from({ length: 12 }, (_, i) => message(`shop/t${i % 5}-${i}`));
    const sent = producer.send('samples', messages);
    await tick();
    await tick();
    const partitioner = Partitioners.DefaultPartitioner();
    const expected = (m: { key: string | null }) =>
      partitioner({ topic: 'samples', partitionMetadata: partitionMetadata(3), message: { key: m.key, value: '' } });
    for (const request of fake.requests) {
      // A call that spans leaders is what lets kafkajs retry one leader while another's request is in flight.
      expect(request.topicMessages).toHaveLength(1);
      const partitions = new Set(request.topicMessages[0]!.messages.map((m) => m.partition));
      expect(partitions.size).toBe(1);
      for (const m of request.topicMessages[0]!.messages) expect(m.partition).toBe(expected(m));
    }
    // Every message once, in send order within its partition.
    const sentValues = fake.requests.flatMap((r) => r.topicMessages[0]!.messages.map((m) => m.value));
    expect([...sentValues].sort()).toEqual(messages.map((m) => m.value).sort());
    for (const request of fake.requests) {
      const values = request.topicMessages[0]!.messages.map((m) => m.value);
      expect(values).toEqual(messages.map((m) => m.value).filter((v) => values.includes(v)));
    }
    for (const request of fake.requests) request.settle();
    await sent;
    const before = fake.requests.length;
    const again = producer.send('samples', [message('again')]);
    for (let i = 0; i < 5 && fake.requests.length === before; i++) await tick();
    fake.requests.at(-1)!.settle();
    await again;
    // The topic's partitions are looked up once, not per send.
    expect(fake.metadataFetches()).toBe(1);
  });

  it('settles every partition of a send before the next, and fails it whole when one partition failed', async () => {
    const fake = fakeKafka(2);
    const producer = new SurgeProducer(fake.kafka);
    await producer.connect();
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionOf = (key: string) =>
      partitioner({ topic: 'samples', partitionMetadata: partitionMetadata(2), message: { key, value: key } });
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const [left, right] = [keys.find((k) => partitionOf(k) === 0)!, keys.find((k) => partitionOf(k) === 1)!];
    const failing = producer.send('samples', [message(left), message(right)]);
    let failed = false;
    failing.catch(() => (failed = true));
    await tick();
    await tick();
    expect(fake.requests).toHaveLength(2);
    const next = producer.send('samples', [message(left)]);
    fake.requests[0]!.settle(new Error('not the leader'));
    await tick();
    await tick();
    // The other partition's call is still in flight: nothing new is sent, and the outcome is not known yet.
    expect(fake.requests).toHaveLength(2);
    expect(failed).toBe(false);
    fake.requests[1]!.settle();
    await expect(failing).rejects.toThrow('not the leader');
    for (let i = 0; i < 5 && fake.requests.length < 3; i++) await tick();
    expect(fake.requests[2]!.producer).toBe(2);
    fake.requests[2]!.settle();
    await next;
  });

  it('merges no more than fits one request under KAFKA_MAX_MESSAGE_BYTES', async () => {
    const fake = fakeKafka();
    const producer = new SurgeProducer(fake.kafka, new Map(), 512 * 1024);
    await producer.connect();
    const big = (name: string) => ({ key: name, value: name.repeat(300 * 1024) });
    const first = producer.send('samples', [message('a')]);
    await tick();
    const rest = [producer.send('samples', [big('b')]), producer.send('samples', [big('c')])];
    fake.requests[0]!.settle();
    await first;
    await tick();
    // 300 KiB + 300 KiB would pass 512 KiB: the second waits for a request of its own.
    expect(fake.requests[1]!.topicMessages[0]!.messages.map((m) => m.key)).toEqual(['b']);
    fake.requests[1]!.settle();
    await tick();
    expect(fake.requests[2]!.topicMessages[0]!.messages.map((m) => m.key)).toEqual(['c']);
    fake.requests[2]!.settle();
    await Promise.all(rest);
  });

  it('sends one send larger than KAFKA_MAX_MESSAGE_BYTES as requests under it, in order', async () => {
    const fake = fakeKafka();
    const producer = new SurgeProducer(fake.kafka, new Map(), 1000);
    await producer.connect();
    const messages = Array.from({ length: 6 }, (_, i) => ({ key: 'k', value: `${i}`.repeat(300) }));
    let done = false;
    const sent = producer.send('samples', messages).then(() => (done = true));
    // Each request is acknowledged as it comes, one in flight at a time, until the send resolves.
    for (let settled = 0; !done; await tick()) if (fake.requests.length > settled) fake.requests[settled++]!.settle();
    await sent;
    // 2 × (300 + 1 + 64) + 64 fits 1000 bytes, a third message would not.
    const requests = fake.requests.map((r) => r.topicMessages.flatMap((t) => t.messages.map((m) => m.value)));
    expect(requests.map((values) => values.length)).toEqual([2, 2, 2]);
    expect(requests.flat()).toEqual(messages.map((m) => m.value));
  });

  it('refuses a send holding a message too large for any request, sending none of it', async () => {
    const fake = fakeKafka();
    const producer = new SurgeProducer(fake.kafka, new Map(), 1000);
    await producer.connect();
    const send = producer.send('samples', [message('a'), { key: 'shop/big', value: 'x'.repeat(1001) }]);
    await expect(send).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(send).rejects.toThrow('KAFKA_MAX_MESSAGE_BYTES=1000');
    await tick();
    expect(fake.requests).toHaveLength(0);
    await producer.flush();
  });

  it('after a failed send, takes a new producer identity before sending anything else', async () => {
    const fake = fakeKafka();
    const producer = new SurgeProducer(fake.kafka);
    await producer.connect();

    const failing = producer.send('samples', [message('a')]);
    await tick();
    fake.requests[0]!.settle(new Error('request timed out'));
    await expect(failing).rejects.toThrow('request timed out');

    const next = producer.send('samples', [message('b')]);
    await tick();
    await tick();
    expect(fake.requests).toHaveLength(2);
    // The failed request may have been written: its sequence numbers must not be reused by the next batch.
    expect(fake.requests[1]!.producer).toBe(2);
    expect(fake.events).toEqual(['created:1', 'connected:1', 'created:2', 'disconnected:1', 'connected:2']);
    fake.requests[1]!.settle();
    await next;
  });

  it('flush waits for queued sends, not only the one in flight', async () => {
    const fake = fakeKafka();
    const producer = new SurgeProducer(fake.kafka);
    await producer.connect();
    const sends = [producer.send('t', [message('1')]), producer.send('t', [message('2')])];
    let flushed = false;
    const flushing = producer.flush().then(() => (flushed = true));
    await tick();
    fake.requests[0]!.settle();
    await tick();
    expect(flushed).toBe(false);
    fake.requests[1]!.settle();
    await flushing;
    await Promise.all(sends);
    expect(flushed).toBe(true);
  });
});

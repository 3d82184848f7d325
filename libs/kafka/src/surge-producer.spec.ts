import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { MessageTooLargeError } from './message-size';
import { SurgeProducer } from './surge-producer';

interface FakeRequest {
  producer: number;
  topicMessages: { topic: string; messages: { key: string | null; value: string }[] }[];
  settle: (error?: Error) => void;
}

/** A kafkajs stand-in that records each produce request and lets the test acknowledge or fail it. */
function fakeKafka() {
  const requests: FakeRequest[] = [];
  const events: string[] = [];
  let producers = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const kafka = {
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
  return { kafka, requests, events, maxInFlight: () => maxInFlight };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const message = (value: string) => ({ key: value, value });

describe('SurgeProducer', () => {
  it('keeps one produce in flight and sends what arrived meanwhile together, in order', async () => {
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
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.topicMessages).toEqual([
      { topic: 'samples', messages: [message('b'), message('c')] },
      { topic: 'actions', messages: [message('x')] },
    ]);
    fake.requests[1]!.settle();
    await Promise.all([second, third]);
    expect(fake.maxInFlight()).toBe(1);
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

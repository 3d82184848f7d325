import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import net from 'node:net';
import type { Consumer, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from './index';

const brokers = () => (process.env['KAFKA_BROKERS'] ?? '').split(',');
const FETCH_API_KEY = 1;

/**
 * The Fetch API's oldest version the broker still speaks, from a raw ApiVersions v0 exchange (kafkajs keeps
 * its negotiated versions private). Kafka 4 removed Fetch v0-v3 (KIP-896): it answers 4, Kafka 3.9 answers 0.
 * (Not Produce: Kafka 4 still advertises Produce v0 for old clients' sake, KAFKA-18659.)
 */
async function oldestFetchVersion(broker: string): Promise<number> {
  const [host, port] = broker.split(':');
  const clientId = Buffer.from('surge-api-versions');
  const request = Buffer.alloc(4 + 10 + clientId.length);
  request.writeInt32BE(request.length - 4, 0);
  request.writeInt16BE(18, 4); // ApiVersions
  request.writeInt16BE(0, 6);
  request.writeInt32BE(1, 8);
  request.writeInt16BE(clientId.length, 12);
  clientId.copy(request, 14);
  const socket = net.connect(Number(port), host);
  socket.write(request);
  let response = Buffer.alloc(0);
  for await (const chunk of socket) {
    response = Buffer.concat([response, chunk as Buffer]);
    if (response.length >= 4 && response.length >= 4 + response.readInt32BE(0)) break;
  }
  socket.destroy();
  const count = response.readInt32BE(10);
  for (let i = 0, at = 14; i < count; i += 1, at += 6) {
    if (response.readInt16BE(at) === FETCH_API_KEY) return response.readInt16BE(at + 2);
  }
  throw new Error('the broker lists no Fetch API');
}

/** Consumes in `groupId` with manual commits until `count` messages arrived; commits each before counting it. */
async function consumeCommitting(kafka: Kafka, groupId: string, topic: string, count: number): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const next = (BigInt(message.offset) + 1n).toString();
            await consumer.commitOffsets([{ topic, partition, offset: next }]);
            values.push(String(message.value));
            if (values.length >= count) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

/**
 * The kafkajs client Surge ships, against the broker of the tier: the integration tier's Kafka 3.9 and, in the
 * `kafka4` tier, Kafka 4.1. Produce (idempotent), consume in a group, commit and read committed offsets are
 * every protocol path Surge's producers and consumers take.
 */
describe('kafkajs against the real broker', () => {
  const kafka = createKafka({ brokers: brokers(), clientId: 'kafkajs-protocol-test' });
  const admin = kafka.admin();
  const topic = `kafkajs.protocol.${randomUUID()}`;
  const groupId = `kafkajs-protocol-${randomUUID()}`;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('is kafkajs 2.2.4, and in the kafka4 tier the broker is a Kafka 4', async () => {
    const kafkajs = createRequire(__filename)('kafkajs/package.json') as { version: string };
    expect(kafkajs.version).toBe('2.2.4');
    const oldest = await oldestFetchVersion(brokers()[0]!);
    expect(oldest).toBe(process.env['SURGE_KAFKA_LINE'] === '4' ? 4 : 0);
  });

  it('produces idempotently, consumes in a group, commits, and resumes from the committed offsets', async () => {
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `target-${(from + i) % 3}`, value: `v${from + i}` }));
    try {
      await producer.send({ topic, acks: -1, messages: batch(0, 9) });
      expect((await consumeCommitting(kafka, groupId, topic, 9)).sort()).toEqual(
        batch(0, 9)
          .map((m) => m.value)
          .sort(),
      );

      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      // A partition no key landed on has no committed offset (-1) and ends at 0.
      const byPartition = (rows: { partition: number; offset: string }[]) =>
        Object.fromEntries(rows.map((r) => [r.partition, r.offset === '-1' ? '0' : r.offset]));
      expect(byPartition(committed[0]!.partitions)).toEqual(byPartition(ends));
      expect(ends.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(9);

      // A new member of the group starts where the last commit left off: only what came after.
      await producer.send({ topic, acks: -1, messages: batch(9, 3) });
      expect((await consumeCommitting(kafka, groupId, topic, 3)).sort()).toEqual(['v10', 'v11', 'v9']);
    } finally {
      await producer.disconnect();
    }
  });
});

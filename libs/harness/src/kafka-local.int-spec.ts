import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalKafka } from './kafka-local';
import { kafkaAnswers } from './kafka-probe';

describe('Kafka provided by the harness', () => {
  const brokers = process.env.KAFKA_BROKERS ?? '';
  const kafka = new Kafka({ clientId: 'harness-int-spec', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true });
  const consumer = kafka.consumer({ groupId: `harness-spec-${randomUUID()}` });
  const topic = `harness.spec.${randomUUID()}`;

  afterAll(async () => {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('is exported to the test workers through KAFKA_BROKERS', () => {
    expect(brokers).toMatch(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/);
  });

  it('does not auto-create topics', async () => {
    await admin.connect();
    const missing = `harness.spec.missing.${randomUUID()}`;
    await expect(admin.fetchTopicMetadata({ topics: [missing] })).rejects.toThrow();
    expect(await admin.listTopics()).not.toContain(missing);
  });

  it('round-trips keyed messages through a created topic', async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await producer.connect();
    const sent = Array.from({ length: 10 }, (_, index) => ({ key: `target-${index % 3}`, value: `sample-${index}` }));
    await producer.send({ topic, acks: -1, messages: sent });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; value: string; partition: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message, partition }) => {
            received.push({ key: String(message.key), value: String(message.value), partition });
            if (received.length === sent.length) resolve();
          },
        })
        .catch(reject);
    });

    expect(received.map(({ key, value }) => ({ key, value })).sort((a, b) => a.value.localeCompare(b.value))).toEqual(
      [...sent].sort((a, b) => a.value.localeCompare(b.value)),
    );
    // One key, one partition: the ordering guarantee Surge relies on for per-target samples.
    for (const key of new Set(sent.map((message) => message.key))) {
      expect(new Set(received.filter((message) => message.key === key).map((m) => m.partition)).size).toBe(1);
    }
  });
});

describe('startLocalKafka (a private broker a test may stop)', () => {
  it('starts on free ports in a temp dir, and stop() takes it down and removes the dir', async () => {
    const kafka = await startLocalKafka();
    try {
      expect(kafka.brokers).not.toBe(process.env.KAFKA_BROKERS);
      expect(await kafkaAnswers(kafka.brokers)).toBe(true);
    } finally {
      await kafka.stop();
    }
    expect(await kafkaAnswers(kafka.brokers, 500)).toBe(false);
    expect(fs.existsSync(kafka.dataDir)).toBe(false);
  }, 120_000);
});

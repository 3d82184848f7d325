import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { kafkaEnv, loadConfig } from '@surge/config';
import type { Topics } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createKafka, jsonDecoder, KAFKA_TOPICS, KafkaConsumers, KafkaModule, SurgeProducer } from './index';

const decodeItem = jsonDecoder('item', z.object({ n: z.number() }));
const brokers = () => process.env['KAFKA_BROKERS'] ?? '';

describe('KafkaModule against a real broker', () => {
  it('creates its topics from the config, produces, consumes, and on close commits what was handled', async () => {
    const run = randomUUID().slice(0, 8);
    const config = loadConfig('kafka-module-int', z.object(kafkaEnv), {
      KAFKA_BROKERS: brokers(),
      SURGE_TOPIC_PARTITIONS: '2',
      SURGE_TOPIC_SAMPLES: `kafka-module-${run}.samples`,
      SURGE_TOPIC_DEADLETTER: `kafka-module-${run}.dlq`,
    });
    @Module({
      imports: [KafkaModule.forRoot({ config, clientId: `kafka-module-${run}`, topics: ['samples', 'deadLetter'] })],
    })
    class App {}
    const app = await NestFactory.createApplicationContext(App, { logger: false, abortOnError: false });
    const topics = app.get<Topics>(KAFKA_TOPICS);
    expect(topics.samples).toBe(`kafka-module-${run}.samples`);

    const handled: number[] = [];
    const groupId = `kafka-module-${run}`;
    await app.get(KafkaConsumers).run({
      groupId,
      topics: [topics.samples],
      decode: decodeItem,
      handle: async ({ n }) => void handled.push(n),
    });
    await app.get(SurgeProducer).send(
      topics.samples,
      [1, 2, 3].map((n) => ({ key: `k${n}`, value: JSON.stringify({ n }) })),
    );
    await expect.poll(() => [...handled].sort(), { timeout: 20_000 }).toEqual([1, 2, 3]);
    await app.close();

    const admin = createKafka({ brokers: brokers().split(','), clientId: `kafka-module-${run}-check` }).admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topics.samples, topics.deadLetter] });
      expect(meta.topics.map((t) => t.partitions.length)).toEqual([2, 2]);
      const high = await admin.fetchTopicOffsets(topics.samples);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topics.samples] });
      const byPartition = new Map(committed!.partitions.map((p) => [p.partition, p.offset]));
      for (const { partition, offset } of high) expect(byPartition.get(partition)).toBe(offset);
      // The group was left on close, not abandoned to its session timeout.
      const { groups } = await admin.describeGroups([groupId]);
      expect(groups[0]!.state).toBe('Empty');
    } finally {
      await admin.disconnect();
    }
  });
});

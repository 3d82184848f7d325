import 'reflect-metadata';
import { Global, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { kafkaEnv, loadConfig } from '@surge/config';
import { HealthRegistry, MetricsRegistry } from '@surge/service-kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { KafkaConnection } from './kafka-connection.service';
import { KafkaConsumers } from './kafka-consumers.service';
import type { KafkaModuleOptions as Options } from './kafka-module.options';
import { KafkaModule } from './kafka.module';
import { KAFKA_CLIENT, KAFKA_TOPICS } from './kafka.tokens';
import { SurgeProducer } from './surge-producer';

// A stand-in kafkajs client that writes every call to `log`, so the order of the module's steps can be read back.
const log: string[] = [];
const gates = new Map<string, () => void>();
const gate = (name: string) => new Promise<void>((resolve) => gates.set(name, resolve));
const open = (name: string) => gates.get(name)?.();
let adminConnectFailures = 0;
let sendAck: Promise<void> | undefined;
const sent: { topic: string }[] = [];

function fakeConsumer({ groupId }: { groupId: string }) {
  let inFlight: Promise<void> = Promise.resolve();
  let running = true;
  return {
    connect: async () => void log.push(`consumer.connect:${groupId}`),
    subscribe: async () => undefined,
    run: async ({ eachBatch }: { eachBatch: (payload: unknown) => Promise<void> }) => {
      const message = { offset: '0', key: Buffer.from('k'), value: Buffer.from('{"n":1}'), timestamp: '0' };
      inFlight = eachBatch({
        batch: { topic: 'in', partition: 0, messages: [message], offsetLag: () => '0' },
        isRunning: () => running,
        isStale: () => false,
        heartbeat: async () => undefined,
        resolveOffset: (offset: string) => void log.push(`resolveOffset:${offset}`),
      });
    },
    // As kafkajs does: stop fetching, wait for the batch being handled, commit, leave the group.
    disconnect: async () => {
      running = false;
      await inFlight;
      log.push(`consumer.disconnect:${groupId}`);
    },
  };
}

const fakeKafka = {
  admin: () => ({
    connect: async () => {
      if (adminConnectFailures > 0) {
        adminConnectFailures--;
        throw new Error('broker down');
      }
      log.push('admin.connect');
    },
    listTopics: async () => [],
    createTopics: async ({ topics }: { topics: { topic: string; numPartitions: number }[] }) =>
      void log.push(`createTopics:${topics.map((t) => `${t.topic}/${t.numPartitions}`).join(',')}`),
    describeCluster: async () => ({}),
    // Every partition has a leader at once: the fake broker is one node.
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({
      topics: topics.map((name) => ({
        name,
        partitions: Array.from({ length: 12 }, (_, p) => ({ partitionId: p, leader: 0 })),
      })),
    }),
    fetchTopicOffsets: async () => [],
    disconnect: async () => void log.push('admin.disconnect'),
  }),
  producer: () => ({
    connect: async () => void log.push('producer.connect'),
    sendBatch: async ({ topicMessages }: { topicMessages: { topic: string }[] }) => {
      for (const { topic } of topicMessages) sent.push({ topic });
      await sendAck;
      for (const { topic } of topicMessages) log.push(`send.acked:${topic}`);
      return [];
    },
    disconnect: async () => void log.push('producer.disconnect'),
  }),
  consumer: fakeConsumer,
};

// Hoisted above the imports by vitest: the module's client provider gets the stand-in.
vi.mock('./create-kafka', () => ({ createKafka: () => fakeKafka }));

const config = (env: Record<string, string> = {}) =>
  loadConfig('test', z.object(kafkaEnv), {
    KAFKA_BROKERS: 'fake:9092',
    SURGE_TOPIC_PARTITIONS: '3',
    SURGE_TOPIC_SAMPLES: 'cfg.samples',
    SURGE_TOPIC_DEADLETTER: 'cfg.dlq',
    ...env,
  });

@Global()
@Module({ providers: [HealthRegistry, MetricsRegistry], exports: [HealthRegistry, MetricsRegistry] })
class ObservabilityStandIn {}

async function start(options: Partial<Options> = {}): Promise<INestApplicationContext> {
  @Module({ imports: [ObservabilityStandIn, KafkaModule.forRoot({ config: config(), clientId: 'spec', ...options })] })
  class App {}
  return NestFactory.createApplicationContext(App, { logger: false, abortOnError: false });
}

const item = (value: Buffer) => z.object({ n: z.number() }).parse(JSON.parse(value.toString()));

describe('KafkaModule', () => {
  beforeEach(() => {
    log.length = 0;
    sent.length = 0;
    gates.clear();
    adminConnectFailures = 0;
    sendAck = undefined;
  });
  afterEach(() => vi.useRealTimers());

  it('creates the start-up topics from the config before connecting the producer', async () => {
    const app = await start({ topics: ['samples', 'deadLetter'] });
    expect(log).toEqual([
      'admin.connect',
      'createTopics:cfg.samples/3,cfg.dlq/3',
      'admin.disconnect',
      'producer.connect',
      'admin.connect',
    ]);
    expect(app.get(KAFKA_TOPICS)).toMatchObject({ samples: 'cfg.samples', deadLetter: 'cfg.dlq' });
    expect(app.get(KafkaConnection).isConnected).toBe(true);
    await app.close();
  });

  it('on shutdown stops the consumers (in-flight work finished, offsets resolved), then flushes the producer, then disconnects', async () => {
    const app = await start();
    const handlerDone = gate('handler');
    await app.get(KafkaConsumers).run({
      groupId: 'g1',
      topics: ['in'],
      decode: item,
      handle: async () => {
        await handlerDone;
        log.push('handled');
      },
    });
    // A first send learns the topic's partitions, so the admin calls that takes are not part of the shutdown.
    await app.get(SurgeProducer).send('out', [{ key: null, value: 'warm-up' }]);
    sendAck = gate('ack');
    const sending = app.get(SurgeProducer).send('out', [{ key: null, value: 'x' }]);
    log.length = 0;
    const closed = app.close();
    // The handler finishes first, the send's ack comes later: a module that did not flush would disconnect first.
    setTimeout(() => open('handler'), 30);
    setTimeout(() => open('ack'), 80);
    await closed;
    await sending;
    expect(log).toEqual([
      'handled',
      'resolveOffset:0',
      'consumer.disconnect:g1',
      'send.acked:out',
      'producer.disconnect',
      'admin.disconnect',
    ]);
  });

  it('fills in the dead-letter topic of the config and the app metrics for the consumers it starts', async () => {
    const app = await start();
    const consumer = await app.get(KafkaConsumers).run({
      groupId: 'g-dlq',
      topics: ['in'],
      decode: () => {
        throw new SyntaxError('not json');
      },
      handle: async () => undefined,
    });
    await expect.poll(() => sent.map((s) => s.topic)).toEqual(['cfg.dlq']);
    const metrics = await app.get(MetricsRegistry).registry.metrics();
    await expect.poll(() => metrics).toContain('surge_dead_letters_total{topic="in",reason="invalid-json"} 1');
    await consumer.stop();
    await app.close();
    expect(log.filter((l) => l === 'consumer.disconnect:g-dlq')).toHaveLength(1);
  });

  it('in the background mode boots while Kafka is down, reports not ready, and connects when it is back', async () => {
    adminConnectFailures = 1;
    const app = await start({ connect: 'in-background', topics: ['samples'] });
    const connection = app.get(KafkaConnection);
    expect(connection.isConnected).toBe(false);
    const report = await app.get(HealthRegistry).report();
    expect(report.checks['kafka']).toEqual({ ok: false, error: 'not connected to Kafka yet' });
    await connection.whenConnected();
    expect((await app.get(HealthRegistry).report()).checks['kafka']).toEqual({ ok: true });
    await app.close();
  }, 10_000);

  it('without brokers provides only the topic names when optional, and refuses to start otherwise', async () => {
    const noBrokers = { ...config(), KAFKA_BROKERS: undefined };
    expect(() => KafkaModule.forRoot({ config: noBrokers, clientId: 'spec' })).toThrow(/KAFKA_BROKERS/);
    const app = await start({ config: noBrokers, optional: true });
    expect(app.get(KAFKA_TOPICS)).toMatchObject({ samples: 'cfg.samples' });
    expect(() => app.get(KAFKA_CLIENT)).toThrow();
    expect(() => app.get(SurgeProducer)).toThrow();
    await app.close();
    expect(log).toEqual([]);
  });
});

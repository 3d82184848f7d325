import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ScaleDecisionInput, SCALE_DECISION_SCHEMA_VERSION } from '@surge/contracts';
import { TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import { SurgeProducer } from '@surge/kafka';
import { signedAs, testSigningEnv } from '@surge/signing/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ExecutorAppModule } from './executor-app.module';
import { loadExecutorConfig } from './executor.config';
import type { Executor } from './executor.interface';
import { ExecutorRegistry } from './executor.registry';

// Stand-ins for kafkajs and ioredis that write every step to `log`, so the order of shutdown can be read back.
const { log, gate, open, fakeKafka, FakeRedis } = vi.hoisted(() => {
  const log: string[] = [];
  const gates = new Map<string, () => void>();
  const gate = (name: string) => new Promise<void>((resolve) => gates.set(name, resolve));
  const open = (name: string) => gates.get(name)?.();
  const acks = new Map<string, Promise<void>>();
  const decisions: { value: string; headers: Record<string, string> }[] = [];
  const partitionsOf = new Map<string, number>();

  function consumer({ groupId }: { groupId: string }) {
    let topics: string[] = [];
    let inFlight: Promise<void> = Promise.resolve();
    let running = true;
    return {
      connect: async () => undefined,
      subscribe: async (options: { topics: string[] }) => void (topics = options.topics),
      run: async ({ eachBatch }: { eachBatch: (payload: unknown) => Promise<void> }) => {
        if (!topics.includes('surge.scale.decisions')) return;
        const messages = decisions.map((d, i) => ({
          offset: String(i),
          key: Buffer.from('k'),
          value: Buffer.from(d.value),
          headers: d.headers,
          timestamp: String(Date.now()),
        }));
        inFlight = eachBatch({
          batch: { topic: topics[0], partition: 0, messages, offsetLag: () => '0' },
          isRunning: () => running,
          isStale: () => false,
          heartbeat: async () => undefined,
          resolveOffset: (offset: string) => void log.push(`decisions.commit:${offset}`),
        });
      },
      // As kafkajs does: stop fetching, wait for the batch being handled, commit, leave the group.
      disconnect: async () => {
        if (groupId !== 'surge-spec') return;
        running = false;
        log.push('decisions.stop-fetching');
        await inFlight;
        log.push('decisions.left-group');
      },
    };
  }

  const fakeKafka = {
    decisions,
    acks,
    // A broker that creates what it is asked for and leads every partition at once.
    admin: () => ({
      connect: async () => undefined,
      listTopics: async () => [...partitionsOf.keys()],
      createTopics: async ({ topics }: { topics: { topic: string; numPartitions: number }[] }) => {
        for (const { topic, numPartitions } of topics) partitionsOf.set(topic, numPartitions);
        return true;
      },
      fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({
        topics: topics.map((name) => ({
          name,
          partitions: Array.from({ length: partitionsOf.get(name) ?? 0 }, (_, partitionId) => ({
            partitionId,
            leader: 0,
          })),
        })),
      }),
      fetchTopicOffsets: async () => [],
      describeConfigs: async () => ({ resources: [] }),
      describeCluster: async () => ({}),
      disconnect: async () => undefined,
    }),
    producer: () => ({
      connect: async () => undefined,
      // SurgeProducer sends whatever has queued up meanwhile as one batch, one topic after another.
      sendBatch: async ({ topicMessages }: { topicMessages: { topic: string }[] }) => {
        for (const { topic } of topicMessages) {
          await acks.get(topic);
          log.push(`acked:${topic}`);
        }
        return [];
      },
      disconnect: async () => void log.push('producer.disconnect'),
    }),
    consumer,
  };

  class FakeRedis {
    connect = async () => undefined;
    on = () => this;
    ping = async () => 'PONG';
    // The decision store's claim: no earlier record, no watermark.
    eval = async () => [null, null];
    set = async () => 'OK';
    get = async () => null;
    hsetnx = async () => 1;
    hget = async () => null;
    hdel = async () => 1;
    quit = async () => void log.push('redis.quit');
    disconnect = () => void log.push('redis.disconnect');
  }
  return { log, gate, open, fakeKafka, FakeRedis };
});

vi.mock('../../kafka/src/create-kafka', () => ({ createKafka: () => fakeKafka }));
vi.mock('ioredis', () => ({ Redis: FakeRedis }));

/** A target whose apply waits for the `apply` gate, so a decision is in flight when the app is told to stop. */
class GatedExecutor implements Executor {
  readonly kinds = ['Gated'];
  private value = 1;
  read = async () => this.value;
  apply = async (_target: unknown, _setting: string, value: number) => {
    log.push('apply.started');
    await gate('apply');
    this.value = value;
    log.push('apply.done');
  };
  observe = async () => ({ replicas: this.value });
  close = async () => void log.push('adapter.close');
}

const decision = (): ScaleDecisionInput => ({
  schemaVersion: SCALE_DECISION_SCHEMA_VERSION,
  decisionId: 'decision-1',
  target: { kind: 'Gated', id: 'shop/web' },
  setting: 'replicas',
  from: 1,
  to: 3,
  direction: 'up',
  severity: 'warning',
  dryRun: false,
  policy: 'spec',
  policyVersion: '1',
  eventTime: Date.now(),
  explanation: { summary: 'spec', trigger: { kind: 'rule', name: 'spec' }, final: 3, winner: 'spec' },
});

async function startExecutorApp() {
  const config = loadExecutorConfig('executor-spec', 9999, {
    KAFKA_BROKERS: 'fake:9092',
    REDIS_URL: 'redis://fake:6379',
    SURGE_TARGETS_FILE: '/unused',
    ...testSigningEnv('executor'),
    SURGE_EXECUTOR_GROUP: 'surge-spec',
    SURGE_OBSERVE_INTERVAL_MS: '0',
    SURGE_VERIFY_INTERVAL_MS: '1',
    LOG_LEVEL: 'error',
  });
  const catalog = new TargetCatalog(
    targetsFileSchema.parse({ targets: [{ id: 'shop/web', kind: 'Gated', bounds: { min: 1, max: 10 } }] }),
  );
  @Module({
    imports: [
      ExecutorAppModule.forRoot({
        appName: 'executor-spec',
        config,
        targets: { catalog, connections: {} },
        createRegistry: () => new ExecutorRegistry().register(new GatedExecutor()),
      }),
    ],
  })
  class Root {}
  return NestFactory.createApplicationContext(Root, { logger: false, abortOnError: false });
}

describe('an executor app on SIGTERM', () => {
  beforeEach(() => {
    log.length = 0;
    fakeKafka.decisions.length = 0;
    fakeKafka.acks.clear();
  });

  it('stops consuming decisions, finishes the one in flight with its result, flushes the producer, then closes the adapters and Redis', async () => {
    fakeKafka.decisions.push(signedAs('rules-engine', { value: JSON.stringify(decision()) }));
    const app = await startExecutorApp();
    await expect.poll(() => log, { timeout: 10_000 }).toContain('apply.started');
    // A send of the app's producer still waiting for its ack (an observation, say): the flush must wait for it.
    fakeKafka.acks.set('pending', gate('pending-ack'));
    const pending = app.get(SurgeProducer).send('pending', [{ key: null, value: 'x' }]);
    log.length = 0;
    const closed = app.close();
    setTimeout(() => open('apply'), 30);
    setTimeout(() => open('pending-ack'), 80);
    await closed;
    await pending;
    expect(log).toEqual([
      'decisions.stop-fetching',
      'apply.done',
      // The producer keeps one produce in flight: the result and observation queue behind the pending send.
      'acked:pending',
      'acked:surge.scale.actions',
      'acked:surge.targets.observed',
      'decisions.commit:0',
      'decisions.left-group',
      'adapter.close',
      'redis.quit',
      'producer.disconnect',
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import type {
  ActionResult,
  AlertEvent,
  DeadLetterRecord,
  ObservedState,
  ScaleDecisionInput,
  Topics,
} from '@surge/contracts';
import type { TargetCatalog } from '@surge/executor-core';
import { signingEnv } from '@surge/config';
import {
  createKafka,
  ensureTopics,
  KafkaConsumers,
  type SigningPolicy,
  signingPolicyFor,
  SurgeProducer,
} from '@surge/kafka';
import { testSigner, testSigningEnv } from '@surge/signing/testing';
import { runTopics } from '@surge/harness';
import { HealthRegistry } from '@surge/service-kit';
import { Redis } from 'ioredis';
import type { Consumer, Kafka } from 'kafkajs';
import { z } from 'zod';
import { EXECUTOR_SIGNING } from '../executor-signing';
import type { ApplyTimings } from '../apply-runner';
import type { ExecutorRegistry } from '../executor.registry';
import { ExecutorRuntime } from '../executor.runtime';
import { GuardrailSwitch } from '../guardrail.switch';
import { connectionVariablesOf } from '../targets-file.loader';

/**
 * Real Kafka and Redis for executor integration tests, on topics, groups and key prefixes of the test's own:
 * starts runtimes, produces decisions and collects every record of the actions and dead-letter topics.
 * It builds its own client rather than an app's Kafka module: each runtime gets a producer and consumers of its
 * own, as a separate executor process would, and the bench drives the same client directly.
 * Signed as in production: the bed produces decisions with the rules engine's test key and control events with the
 * control plane's, and each runtime verifies them and signs its observed state with the executors' key.
 */
export class ExecutorTestBed {
  readonly run = randomUUID().slice(0, 8);
  readonly topics: Topics;
  readonly kafka: Kafka;
  readonly producer: SurgeProducer;
  readonly redis: Redis;
  readonly results: ActionResult[] = [];
  readonly deadLetters: DeadLetterRecord[] = [];
  readonly samples: unknown[] = [];
  readonly observed: ObservedState[] = [];
  readonly alerts: AlertEvent[] = [];
  /** performance.now() at which each decision id's first result arrived, for latency measurements. */
  readonly arrivals = new Map<string, number>();
  /** The runtimes' readiness, as /health/ready reports it: their consumers register the `kafka-consumers` check. */
  readonly health = new HealthRegistry();
  private readonly runtimes: { runtime: ExecutorRuntime; producer: SurgeProducer }[] = [];
  private consumer: Consumer | null = null;
  /** What each runtime signs and verifies, as an executor app's Kafka module builds it. */
  readonly signing: SigningPolicy;

  /** `brokers` and `redisUrl` default to KAFKA_BROKERS and REDIS_URL; an outage test passes its private server. */
  constructor(
    readonly partitions = 1,
    brokers: string = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    redisUrl: string = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  ) {
    this.topics = runTopics(`test.executor.${this.run}`);
    this.kafka = createKafka({
      brokers: brokers.split(','),
      clientId: `test-${this.run}`,
    });
    this.producer = new SurgeProducer(
      this.kafka,
      new Map([
        [this.topics.decisions, testSigner('rules-engine')],
        [this.topics.control, testSigner('control-plane')],
      ]),
    );
    this.signing = signingPolicyFor(
      z.object(signingEnv).parse(testSigningEnv('executor')),
      EXECUTOR_SIGNING,
      this.topics,
      'test-executor',
    );
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  }

  async start(): Promise<void> {
    await ensureTopics(this.kafka, Object.values(this.topics), this.partitions);
    await this.waitForLeaders();
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: `test-${this.run}-observer`, maxWaitTimeInMs: 50 });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [
        this.topics.actions,
        this.topics.deadLetter,
        this.topics.samples,
        this.topics.observed,
        this.topics.alerts,
      ],
      fromBeginning: true,
    });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        const value = JSON.parse(message.value!.toString('utf8'));
        if (topic === this.topics.actions) {
          if (!this.arrivals.has(value.decisionId)) this.arrivals.set(value.decisionId, performance.now());
          this.results.push(value);
        } else if (topic === this.topics.deadLetter) this.deadLetters.push(value);
        else if (topic === this.topics.observed) this.observed.push(value);
        else if (topic === this.topics.alerts) this.alerts.push(value);
        else this.samples.push(value);
      },
    });
  }

  /** A new topic's leaders can take a moment to reach every broker's metadata; produce only once they have. */
  private async waitForLeaders(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (let attempt = 0; attempt < 50; attempt += 1) {
        try {
          const { topics } = await admin.fetchTopicMetadata({ topics: Object.values(this.topics) });
          if (topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
        } catch {
          // not known yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await admin.disconnect();
    }
  }

  async startRuntime(
    registry: ExecutorRegistry,
    catalog: TargetCatalog,
    overrides: Partial<{
      groupId: string;
      timings: ApplyTimings;
      observeIntervalMs: number;
      maxAgeMs: number;
      guardrails: GuardrailSwitch;
    }> = {},
  ): Promise<ExecutorRuntime> {
    const producer = new SurgeProducer(this.kafka, this.signing.signers);
    await producer.connect();
    const consumers = new KafkaConsumers(
      this.kafka,
      this.topics,
      producer,
      this.signing,
      undefined,
      undefined,
      this.health,
    );
    const runtime = new ExecutorRuntime({
      name: 'test-executor',
      kafka: { client: this.kafka, consumers, producer, topics: this.topics },
      groupId: overrides.groupId ?? `test-${this.run}-executor`,
      redis: this.redis,
      keyPrefix: `test:executor:${this.run}`,
      idempotenceTtlMs: 60_000,
      registry,
      catalog,
      // As the executors' config loader does at boot: the test sets the variables before starting a runtime.
      connections: connectionVariablesOf(catalog, process.env),
      guardrails: overrides.guardrails ?? new GuardrailSwitch({ paused: false, dryRun: false }),
      maxAgeMs: overrides.maxAgeMs ?? 600_000,
      timings: overrides.timings ?? {
        retry: { retries: 3, baseDelayMs: 50, maxDelayMs: 200 },
        attemptTimeoutMs: 1000,
        verifyTimeoutMs: 1000,
        verifyIntervalMs: 20,
      },
      observeIntervalMs: overrides.observeIntervalMs ?? 0,
      listenToControl: overrides.guardrails !== undefined,
    });
    this.runtimes.push({ runtime, producer });
    await runtime.start();
    return runtime;
  }

  decision(overrides: Partial<ScaleDecisionInput> & Pick<ScaleDecisionInput, 'target' | 'to'>): ScaleDecisionInput {
    return {
      schemaVersion: 1,
      decisionId: `decision-${randomUUID()}`,
      setting: 'replicas',
      from: 1,
      direction: 'up',
      severity: 'warning',
      dryRun: false,
      policy: 'test',
      policyVersion: '1',
      eventTime: Date.now(),
      explanation: { summary: 'test', trigger: { kind: 'rule', name: 'test' }, final: overrides.to, winner: 'test' },
      ...overrides,
    };
  }

  async produceControl(event: Record<string, unknown>): Promise<void> {
    await this.sendWithRetry(this.topics.control, [
      { key: 'control', value: JSON.stringify({ schemaVersion: 1, actor: 'test', time: Date.now(), ...event }) },
    ]);
  }

  async produce(...decisions: (ScaleDecisionInput | string)[]): Promise<void> {
    await this.produceAt(null, ...decisions);
  }

  /** Produces with a given record timestamp (CreateTime), as if published that long ago; null = now. */
  async produceAt(timestampMs: number | null, ...decisions: (ScaleDecisionInput | string)[]): Promise<void> {
    // One key for all: the tests that need "same partition" get it whatever the partition count.
    await this.sendWithRetry(
      this.topics.decisions,
      decisions.map((d) => ({
        key: 'same-partition',
        value: typeof d === 'string' ? d : JSON.stringify(d),
        ...(timestampMs === null ? {} : { timestamp: String(timestampMs) }),
      })),
    );
  }

  private async sendWithRetry(
    topic: string,
    messages: { key: string; value: string; timestamp?: string }[],
  ): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.producer.send(topic, messages);
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; results so far: ${JSON.stringify(this.results)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  resultsFor(decisionId: string): ActionResult[] {
    return this.results.filter((r) => r.decisionId === decisionId);
  }

  async stopRuntimes(): Promise<void> {
    await Promise.all(
      this.runtimes.splice(0).map(async ({ runtime, producer }) => {
        await runtime.stop();
        await producer.disconnect();
      }),
    );
  }

  async stop(): Promise<void> {
    await this.stopRuntimes();
    await this.consumer?.disconnect();
    await this.producer.disconnect();
    this.redis.disconnect();
  }
}

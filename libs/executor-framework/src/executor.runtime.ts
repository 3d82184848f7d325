import { hostname } from 'node:os';
import {
  type ActionResult,
  type ControlEvent,
  controlEvent,
  type ScaleDecision,
  scaleDecision,
  type Topics,
} from '@surge/contracts';
import type { TargetCatalog } from '@surge/executor-core';
import { jsonDecoder, type RunningConsumer, runBatchConsumer, runConsumer, type SurgeProducer } from '@surge/kafka';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import { ApplyRunner, type ApplyTimings } from './apply-runner';
import { BaselineStore } from './baseline.store';
import { DecisionPipeline } from './decision-pipeline';
import { DecisionProcessor } from './decision-processor';
import { DecisionStore } from './decision.store';
import type { ExecutorMetrics } from './executor.metrics';
import type { ExecutorRegistry } from './executor.registry';
import type { GuardrailSwitch } from './guardrail.switch';
import { ObservedStatePublisher } from './observed-state.publisher';

export interface ExecutorRuntimeOptions {
  name: string;
  kafka: Kafka;
  producer: SurgeProducer;
  topics: Topics;
  groupId: string;
  redis: Redis;
  keyPrefix: string;
  idempotenceTtlMs: number;
  registry: ExecutorRegistry;
  catalog: TargetCatalog;
  guardrails: GuardrailSwitch;
  maxAgeMs: number;
  timings: ApplyTimings;
  /** 0 turns observed-state publishing off. */
  observeIntervalMs: number;
  listenToControl?: boolean;
  metrics?: ExecutorMetrics;
  env?: NodeJS.ProcessEnv;
  onResult?: (result: ActionResult) => void;
}

/** Wires the framework to Kafka: decisions in, results and observed samples out, control events flipping the switch. */
export class ExecutorRuntime {
  private readonly logger = new Logger(ExecutorRuntime.name);
  private readonly pipeline: DecisionPipeline;
  private readonly observer: ObservedStatePublisher;
  private consumers: RunningConsumer[] = [];
  private decisionsConsumer: RunningConsumer | null = null;

  constructor(private readonly options: ExecutorRuntimeOptions) {
    const { redis, keyPrefix, producer, topics } = options;
    const store = new DecisionStore(redis, keyPrefix, options.idempotenceTtlMs);
    const runner = new ApplyRunner(options.timings, new BaselineStore(redis, keyPrefix));
    const processor = new DecisionProcessor(options.registry, options.catalog, store, runner, {
      executorName: options.name,
      maxAgeMs: options.maxAgeMs,
      guardrails: () => options.guardrails.current(),
      env: options.env,
      publish: async (result) => {
        await producer.sendJson(topics.actions, result.target.id, result);
        options.metrics?.recordResult(result);
        options.onResult?.(result);
      },
    });
    this.pipeline = new DecisionPipeline(options.registry, processor);
    this.observer = new ObservedStatePublisher(options.registry, options.catalog, {
      intervalMs: options.observeIntervalMs,
      env: options.env,
      onFailure: (kind) => options.metrics?.recordObserveFailure(kind),
      publish: (envelopes) =>
        producer.send(
          topics.samples,
          envelopes.map((e) => ({ key: e.target, value: JSON.stringify(e) })),
        ),
    });
  }

  async start(): Promise<void> {
    const { kafka, producer, topics, groupId } = this.options;
    await producer.connect();
    if (this.options.listenToControl !== false) {
      // Each instance needs every control event, so it reads them in a group of its own, from the start: the last
      // global pause or resume on the topic is the state in force.
      this.consumers.push(
        await runConsumer<ControlEvent>({
          kafka,
          producer,
          groupId: `${groupId}-control-${hostname()}-${process.pid}`,
          topics: [topics.control],
          deadLetterTopic: topics.deadLetter,
          metrics: this.options.metrics?.consumers,
          decode: jsonDecoder('controlEvent', controlEvent),
          handle: async (event) => this.options.guardrails.apply(event),
        }),
      );
    }
    this.decisionsConsumer = await runBatchConsumer<ScaleDecision>({
      kafka,
      producer,
      groupId,
      topics: [topics.decisions],
      deadLetterTopic: topics.deadLetter,
      metrics: this.options.metrics?.consumers,
      decode: jsonDecoder('scaleDecision', scaleDecision),
      handleBatch: async (items) => {
        await this.pipeline.handleBatch(
          items.map((i) => ({
            decision: i.item,
            publishedAt: Number.isFinite(i.ctx.timestamp) ? i.ctx.timestamp : null,
          })),
        );
      },
      onDeadLetter: (record) =>
        this.logger.warn(
          `decision at ${record.source.topic}/${record.source.partition}@${record.source.offset} dead-lettered: ${record.reason}`,
        ),
    });
    this.consumers.push(this.decisionsConsumer);
    if (this.options.observeIntervalMs > 0) this.observer.start();
    this.logger.log(
      `${this.options.name} consuming ${topics.decisions} as ${groupId} for kinds ${this.options.registry.kinds().join(', ')}`,
    );
  }

  /** For the readiness check: true between a successful start and the beginning of stop. */
  isConsuming(): boolean {
    return this.decisionsConsumer !== null;
  }

  lag(): number {
    return this.consumers.reduce((sum, c) => sum + c.lag(), 0);
  }

  /** Stops fetching, lets in-flight decisions finish and commit, then closes the adapters' clients. */
  async stop(): Promise<void> {
    this.decisionsConsumer = null;
    await Promise.all(this.consumers.map((c) => c.stop()));
    this.consumers = [];
    await this.observer.stop();
    await this.pipeline.drain();
    await this.options.registry.closeAll();
  }
}

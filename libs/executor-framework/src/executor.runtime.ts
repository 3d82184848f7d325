import { ControlIntentReader } from '@surge/control-plane';
import {
  type ActionResult,
  type ObservedState,
  type ScaleDecision,
  scaleDecision,
  type Topics,
} from '@surge/contracts';
import type { TargetCatalog } from '@surge/executor-core';
import {
  jsonDecoder,
  type KafkaConsumers,
  type MessageContext,
  type RunningConsumer,
  type SurgeProducer,
} from '@surge/kafka';
import type { RefusalReason } from '@surge/signing';
import type { SurgeTracing } from '@surge/tracing';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import { ActionAlerts } from './action-alerts';
import { RedisOpenActionAlerts } from './action-alerts.store';
import { readRecentResults } from './action-history.reader';
import { ApplyRunner } from './apply-runner';
import { BaselineStore } from './baseline.store';
import { DecisionPipeline } from './decision-pipeline';
import { DecisionProcessor } from './decision-processor';
import { DecisionRecordsRecovery } from './decision-records.recovery';
import { DecisionSpans } from './decision-spans';
import { DecisionStore } from './decision.store';
import type { ExecutorMetrics } from './executor.metrics';
import type { ExecutorRegistry } from './executor.registry';
import type { GuardrailSwitch } from './guardrail.switch';
import { observedStateOf, ObservedStatePublisher } from './observed-state.publisher';
import { claimedDecision, signatureRejection } from './refused-decision';
import type { PipelineSettings } from './pipeline-settings';
import type { ConnectionVariables } from './targets-file.loader';

/** The host's Kafka module, as the runtime uses it: its client, consumers, producer and topic names in force. */
export interface ExecutorKafka {
  /** KAFKA_CLIENT: read only by the control reader, for where the control topic ends. */
  client: Kafka;
  consumers: Pick<KafkaConsumers, 'run' | 'runBatch'>;
  /** Connected, flushed on stop and closed by its owner (the Kafka module); the runtime only sends. */
  producer: SurgeProducer;
  topics: Topics;
}

export interface ExecutorRuntimeOptions extends PipelineSettings {
  name: string;
  kafka: ExecutorKafka;
  groupId: string;
  redis: Redis;
  keyPrefix: string;
  registry: ExecutorRegistry;
  catalog: TargetCatalog;
  /** The connection variables the targets file names, captured at boot. */
  connections: ConnectionVariables;
  guardrails: GuardrailSwitch;
  listenToControl?: boolean;
  metrics?: ExecutorMetrics;
  /** The app's tracer: with it on, each decision acted on is a span, its result carrying the trace on. */
  tracing?: SurgeTracing;
  onResult?: (result: ActionResult) => void;
}

/**
 * Wires the framework to Kafka: decisions in; results, observed state and the adapters' workload gauges out;
 * control events flipping the switch. Observed state has one topic, and only executors write it.
 */
export class ExecutorRuntime {
  private readonly logger = new Logger(ExecutorRuntime.name);
  private readonly pipeline: DecisionPipeline;
  private readonly observer: ObservedStatePublisher;
  private readonly alerts: ActionAlerts;
  private consumers: RunningConsumer[] = [];
  private decisionsConsumer: RunningConsumer | null = null;
  private controlReader: ControlIntentReader | null = null;
  private readonly spans?: DecisionSpans;

  constructor(private readonly options: ExecutorRuntimeOptions) {
    if (options.tracing?.enabled) this.spans = new DecisionSpans(options.tracing);
    const { redis, keyPrefix } = options;
    const { producer, topics } = options.kafka;
    const store = new DecisionStore(redis, keyPrefix, options.idempotenceTtlMs);
    this.alerts = new ActionAlerts(new RedisOpenActionAlerts(redis, keyPrefix), (alert) =>
      producer.sendJson(topics.alerts, alert.target.id, alert),
    );
    const runner = new ApplyRunner(options.timings, new BaselineStore(redis, keyPrefix));
    const history = { kafka: options.kafka.client, topic: topics.actions, groupPrefix: options.groupId };
    const recovery = new DecisionRecordsRecovery(
      store,
      (sinceMs) => readRecentResults({ ...history, owns: (kind) => options.registry.owns(kind) }, sinceMs),
      options.idempotenceTtlMs,
    );
    const processor = new DecisionProcessor(options.registry, options.catalog, store, runner, {
      executorName: options.name,
      maxAgeMs: options.maxAgeMs,
      guardrails: () => options.guardrails.current(),
      connections: options.connections,
      recoverRecords: () => recovery.rebuild(),
      publish: async (result) => {
        const headers = this.spans?.headersFor(result.decisionId);
        await producer.sendJson(topics.actions, result.target.id, result, headers);
        this.spans?.published(result);
        options.metrics?.recordResult(result);
        options.onResult?.(result);
        await this.publishReadBack(result);
      },
      published: (decision, result) => this.publishAlerts(decision, result),
    });
    this.pipeline = new DecisionPipeline(options.registry, processor);
    this.observer = new ObservedStatePublisher(options.registry, options.catalog, {
      executorName: options.name,
      intervalMs: options.observeIntervalMs,
      connections: options.connections,
      onFailure: (kind) => options.metrics?.recordObserveFailure(kind),
      onPublishFailure: () => options.metrics?.recordObservedPublishFailure(),
      publishObserved: (observations) => this.sendObserved(observations),
      publishSamples: (envelopes) =>
        producer.send(
          topics.samples,
          envelopes.map((e) => ({ key: e.target, value: JSON.stringify(e) })),
        ),
    });
  }

  private sendObserved(observations: ObservedState[]): Promise<void> {
    return this.options.kafka.producer.send(
      this.options.kafka.topics.observed,
      observations.map((o) => ({ key: o.target.id, value: JSON.stringify(o) })),
    );
  }

  /**
   * The value read back after an applied decision, or the value read when a decision was refused for what the
   * target holds (a conflict, a guardrail), so the rules engine learns the truth at once and decides again from it
   * instead of from the value it assumed, rather than at the next periodic observation. The result is already on
   * the actions topic: a failure here is logged and counted, never turned into a retry of the decision, and the
   * next periodic observation repairs it.
   */
  private async publishReadBack(result: ActionResult): Promise<void> {
    const value = observedValueOf(result);
    if (value === null) return;
    const observation = observedStateOf(
      result.target,
      this.options.name,
      { [result.setting]: value },
      result.time,
      result.decisionId,
    );
    try {
      await this.sendObserved([observation]);
    } catch (error) {
      this.options.metrics?.recordObservedPublishFailure();
      this.logger.warn(`cannot publish the read-back of ${result.decisionId}: ${(error as Error).message}`);
    }
  }

  /**
   * The SurgeActionFailed alert a final result opens or resolves, on the alerts topic keyed by target as the rules
   * engine's are. The result is already out: a failure here (Kafka or Redis) is logged, and that alert transition
   * is lost, rather than the decision retried; the next result on the same target and setting tries again.
   */
  private async publishAlerts(decision: ScaleDecision, result: ActionResult): Promise<void> {
    try {
      await this.alerts.onResult(decision, result);
    } catch (error) {
      this.logger.warn(`cannot publish the alert of ${result.decisionId}: ${(error as Error).message}`);
    }
  }

  /** Safe to call again after it threw: a failed start leaves nothing running. */
  async start(): Promise<void> {
    try {
      await this.startConsuming();
    } catch (error) {
      await Promise.all(this.consumers.map((c) => c.stop()));
      this.consumers = [];
      this.decisionsConsumer = null;
      await this.controlReader?.stop();
      this.controlReader = null;
      throw error;
    }
  }

  private async startConsuming(): Promise<void> {
    const { client, consumers, topics } = this.options.kafka;
    const groupId = this.options.groupId;
    if (this.options.listenToControl !== false) {
      // The whole control topic is read first: no decision is handled before the pause in force is known.
      this.controlReader = new ControlIntentReader({
        kafka: client,
        consumers,
        topic: topics.control,
        groupPrefix: groupId,
        onEvent: (event) => this.options.guardrails.apply(event),
      });
      await this.controlReader.start();
    }
    this.decisionsConsumer = await consumers.runBatch<ScaleDecision>({
      groupId,
      topics: [topics.decisions],
      decode: jsonDecoder('scaleDecision', scaleDecision),
      handleBatch: async (items) => {
        this.spans?.begin(items, (decision) => this.pipeline.owns(decision));
        try {
          await this.pipeline.handleBatch(
            items.map((i) => ({
              decision: i.item,
              publishedAt: Number.isFinite(i.ctx.timestamp) ? i.ctx.timestamp : null,
            })),
          );
        } catch (error) {
          this.spans?.finish(items, error);
          throw error;
        }
        this.spans?.finish(items);
      },
      onRefused: (ctx, reason) => this.answerRefused(ctx, reason),
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

  /**
   * A decision whose signature did not verify gets its one `rejected: signature` result from the executor that
   * owns its kind (the others only count it), and nothing else: no record, no read-back, the target untouched.
   */
  private async answerRefused(ctx: MessageContext, reason: RefusalReason): Promise<boolean> {
    const decision = claimedDecision(ctx.message.value);
    if (!decision) return false;
    if (!this.options.registry.owns(decision.target.kind)) return true;
    const result = signatureRejection(decision, reason, this.options.name);
    const { producer, topics } = this.options.kafka;
    await producer.sendJson(topics.actions, result.target.id, result);
    this.options.metrics?.recordResult(result);
    this.options.onResult?.(result);
    this.logger.warn(`decision ${decision.decisionId} for ${decision.target.id} refused: ${reason} signature`);
    // A forged or mis-signed decision on one of this executor's targets is worth a page of its own; one naming a
    // target it does not know is not, or a forger could open an alert (and a Redis entry) per made-up id.
    if (this.options.catalog.get(decision.target.id)) await this.publishAlerts(decision, result);
    return true;
  }

  /** For the readiness check: true between a successful start and the beginning of stop. */
  isConsuming(): boolean {
    return this.decisionsConsumer !== null;
  }

  lag(): number {
    return this.consumers.reduce((sum, c) => sum + c.lag(), 0);
  }

  /**
   * Stops fetching decisions and lets those in flight finish, their results published and their offsets
   * committed; then waits for every send still unacknowledged (observations, read-backs) to be flushed; and only
   * then closes the adapters' clients. The host closes Redis after this, and the Kafka module the producer.
   */
  async stop(): Promise<void> {
    this.decisionsConsumer = null;
    await Promise.all([...this.consumers.map((c) => c.stop()), this.controlReader?.stop()]);
    this.consumers = [];
    await this.observer.stop();
    await this.pipeline.drain();
    await this.options.kafka.producer.flush();
    await this.options.registry.closeAll();
  }
}

/** What a result proves the target holds: the read-back of an applied change, the read that refused one. */
function observedValueOf(result: ActionResult): number | null {
  if (result.status === 'applied' || result.status === 'not-ready') return result.after;
  if (result.status === 'conflict' || result.status === 'rejected') return result.before;
  return null;
}

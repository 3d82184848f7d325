import { Inject, Injectable } from '@nestjs/common';
import { fastSampleEnvelope, sampleEnvelope, type SampleEnvelope, type Topics } from '@surge/contracts';
import { type Decoded, jsonDecoder, KAFKA_TOPICS, KafkaConsumers, type RunningConsumer } from '@surge/kafka';
import { HealthRegistry } from '@surge/service-kit';
import { SurgeTracing } from '@surge/tracing';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { TargetEvaluator } from '../engine/target-evaluator.service';
import { TargetStateRepository } from '../state/target-state.repository';
import { batchSpan } from './samples-batch.span';

/**
 * Consumes sample envelopes (keyed by target, so one target's samples stay in order on one partition), once the
 * operator's intent is known (EngineStart starts it after the ControlConsumer). Offsets are committed only after
 * the evaluation's state is saved. A target's current value is not read here: it comes from the observed-state
 * topic (ObservedStateConsumer).
 */
@Injectable()
export class SamplesConsumer {
  private consumer: RunningConsumer | null = null;

  constructor(
    private readonly consumers: KafkaConsumers,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    private readonly evaluator: TargetEvaluator,
    private readonly repository: TargetStateRepository,
    health: HealthRegistry,
    @Inject(RULES_ENGINE_CONFIG) private readonly config: RulesEngineConfig,
    private readonly tracing: SurgeTracing,
  ) {
    health.register('redis', () => this.repository.ping());
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    // A fetched batch is evaluated as a unit: one Redis round trip and one produce call for all its targets.
    // Tracing is chosen here, once: with it off, a batch costs nothing more than it did without it.
    const evaluate = (items: Decoded<SampleEnvelope>[]) => this.evaluator.onEnvelopes(items.map((entry) => entry.item));
    this.consumer = await this.consumers.runBatch<SampleEnvelope>({
      groupId: this.config.SURGE_RULES_GROUP_ID,
      topics: [this.topics.samples],
      decode: jsonDecoder('sampleEnvelope', sampleEnvelope, fastSampleEnvelope),
      handleBatch: this.tracing.enabled
        ? (items) => this.tracing.within(batchSpan(this.tracing, items), () => evaluate(items))
        : evaluate,
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }
}

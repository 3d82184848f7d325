import { Inject, Injectable } from '@nestjs/common';
import { fastSampleEnvelope, sampleEnvelope, type SampleEnvelope, type Topics } from '@surge/contracts';
import { jsonDecoder, KAFKA_TOPICS, KafkaConsumers, type RunningConsumer } from '@surge/kafka';
import { HealthRegistry } from '@surge/service-kit';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { TargetEvaluator } from '../engine/target-evaluator.service';
import { TargetStateRepository } from '../state/target-state.repository';

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
  ) {
    health.register('redis', () => this.repository.ping());
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    // A fetched batch is evaluated as a unit: one Redis round trip and one produce call for all its targets.
    this.consumer = await this.consumers.runBatch<SampleEnvelope>({
      groupId: this.config.SURGE_RULES_GROUP_ID,
      topics: [this.topics.samples],
      decode: jsonDecoder('sampleEnvelope', sampleEnvelope, fastSampleEnvelope),
      handleBatch: (items) => this.evaluator.onEnvelopes(items.map((entry) => entry.item)),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }
}

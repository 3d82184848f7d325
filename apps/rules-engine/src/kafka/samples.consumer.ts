import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  actionResult,
  type ActionResult,
  controlEvent,
  type ControlEvent,
  sampleEnvelope,
  type SampleEnvelope,
} from '@surge/contracts';
import { jsonDecoder, runBatchConsumer, runConsumer, type RunningConsumer } from '@surge/kafka';
import { HealthRegistry } from '@surge/service-kit';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { ControlState } from '../control/control-state.service';
import { RulesEngineMetrics } from '../engine/rules-engine.metrics';
import { TargetEvaluator } from '../engine/target-evaluator.service';
import { TargetStateRepository } from '../state/target-state.repository';
import { KafkaProvider } from './kafka.provider';

/**
 * Consumes sample envelopes (keyed by target, so one target's samples stay in order on one partition) and the
 * executors' action results. Offsets are committed only after the evaluation's state is saved.
 */
@Injectable()
export class SamplesConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private consumers: RunningConsumer[] = [];

  constructor(
    private readonly kafka: KafkaProvider,
    private readonly evaluator: TargetEvaluator,
    private readonly metrics: RulesEngineMetrics,
    private readonly repository: TargetStateRepository,
    private readonly control: ControlState,
    health: HealthRegistry,
    @Inject(RULES_ENGINE_CONFIG) private readonly config: RulesEngineConfig,
  ) {
    health.register('redis', () => this.repository.ping());
  }

  async onApplicationBootstrap(): Promise<void> {
    const common = {
      kafka: this.kafka.kafka,
      producer: this.kafka.producer,
      deadLetterTopic: this.kafka.topics.deadLetter,
      metrics: this.metrics.consumers,
    };
    // A fetched batch is evaluated as a unit: one Redis round trip and one produce call for all its targets.
    const samples = await runBatchConsumer<SampleEnvelope>({
      ...common,
      groupId: this.config.SURGE_RULES_GROUP_ID,
      topics: [this.kafka.topics.samples],
      decode: jsonDecoder('sampleEnvelope', sampleEnvelope),
      handleBatch: (items) => this.evaluator.onEnvelopes(items.map((entry) => entry.item)),
    });
    // Action results are few; their own group so every instance does not need the samples' partitioning.
    const actions = await runConsumer<ActionResult>({
      ...common,
      groupId: `${this.config.SURGE_RULES_GROUP_ID}-actions`,
      topics: [this.kafka.topics.actions],
      decode: jsonDecoder('actionResult', actionResult),
      handle: async (result) => {
        if (result.status === 'applied' && result.after !== null)
          await this.evaluator.onObservedValue(result.target.id, result.setting, result.after, result.time);
      },
    });
    // Every instance needs every control event: a group of its own, replayed from the start to rebuild the state.
    const control = await runConsumer<ControlEvent>({
      ...common,
      groupId: `${this.config.SURGE_RULES_GROUP_ID}-control-${randomUUID().slice(0, 8)}`,
      topics: [this.kafka.topics.control],
      decode: jsonDecoder('controlEvent', controlEvent),
      handle: async (event) => this.control.apply(event),
    });
    this.consumers = [samples, actions, control];
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { observedState, type ObservedState, type Topics } from '@surge/contracts';
import { jsonDecoder, KAFKA_TOPICS, KafkaConsumers, type RunningConsumer } from '@surge/kafka';
import { MetricsRegistry } from '@surge/service-kit';
import { Counter } from 'prom-client';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { TargetEvaluator } from '../engine/target-evaluator.service';

/**
 * The executors' observed state of their targets: the one source of a target's current value. Keyed by target,
 * so one target's observations arrive in order; the evaluator still ignores one older than what it knows, since
 * a periodic read and a decision's read-back can cross.
 */
@Injectable()
export class ObservedStateConsumer {
  private consumer: RunningConsumer | null = null;
  private readonly handled: Counter;

  constructor(
    private readonly consumers: KafkaConsumers,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    private readonly evaluator: TargetEvaluator,
    registry: MetricsRegistry,
    @Inject(RULES_ENGINE_CONFIG) private readonly config: RulesEngineConfig,
  ) {
    this.handled = new Counter({
      name: 'surge_rules_observed_states_total',
      help: "Executors' observed states folded into the targets' state",
      registers: [registry.registry],
    });
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    // A group of its own: observations are few, and need not follow the samples' partitioning.
    this.consumer = await this.consumers.run<ObservedState>({
      groupId: `${this.config.SURGE_RULES_GROUP_ID}-observed`,
      topics: [this.topics.observed],
      decode: jsonDecoder('observedState', observedState),
      handle: async (observation) => {
        for (const [setting, value] of Object.entries(observation.settings))
          await this.evaluator.onObservedValue(observation.target, setting, value, observation.observedAt);
        this.handled.inc();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }
}

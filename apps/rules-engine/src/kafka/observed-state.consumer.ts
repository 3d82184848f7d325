import { Inject, Injectable } from '@nestjs/common';
import { observedState, type ObservedState, type Topics } from '@surge/contracts';
import { jsonDecoder, KAFKA_TOPICS, KafkaConsumers } from '@surge/kafka';
import { MetricsRegistry } from '@surge/service-kit';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { TargetEvaluator } from '../engine/target-evaluator.service';
import { CountedTopicConsumer } from './counted-topic.consumer';

/**
 * The executors' observed state of their targets: the one source of a target's current value. Keyed by target,
 * so one target's observations arrive in order; the evaluator still ignores one older than what it knows, since
 * a periodic read and a decision's read-back can cross.
 */
@Injectable()
export class ObservedStateConsumer extends CountedTopicConsumer<ObservedState> {
  constructor(
    consumers: KafkaConsumers,
    @Inject(KAFKA_TOPICS) topics: Topics,
    evaluator: TargetEvaluator,
    registry: MetricsRegistry,
    @Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig,
  ) {
    super(consumers, registry, {
      // Observations are few, and need not follow the samples' partitioning.
      groupId: `${config.SURGE_RULES_GROUP_ID}-observed`,
      topic: topics.observed,
      decode: jsonDecoder('observedState', observedState),
      counter: {
        name: 'surge_rules_observed_states_total',
        help: "Executors' observed states folded into the targets' state",
      },
      handle: async (observation) => {
        for (const [setting, value] of Object.entries(observation.settings))
          await evaluator.onObservedValue(observation.target, setting, value, observation.observedAt);
        return true;
      },
    });
  }
}

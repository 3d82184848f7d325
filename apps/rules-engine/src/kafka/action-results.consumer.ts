import { Inject, Injectable } from '@nestjs/common';
import { actionResult, type ActionResult, type Topics } from '@surge/contracts';
import { jsonDecoder, KAFKA_TOPICS, KafkaConsumers } from '@surge/kafka';
import { MetricsRegistry } from '@surge/service-kit';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { TargetEvaluator } from '../engine/target-evaluator.service';
import { CountedTopicConsumer } from './counted-topic.consumer';

/**
 * The executors' results, read for the plan steps among them: a step's result is what lets its plan go on.
 * Signed by the executors and verified like their observed state, since a result now steers the engine. Most
 * results are of no plan and are passed over as soon as they are decoded.
 */
@Injectable()
export class ActionResultsConsumer extends CountedTopicConsumer<ActionResult> {
  constructor(
    consumers: KafkaConsumers,
    @Inject(KAFKA_TOPICS) topics: Topics,
    evaluator: TargetEvaluator,
    registry: MetricsRegistry,
    @Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig,
  ) {
    super(consumers, registry, {
      // Results are keyed by the acted-on target, not the plan's: the lanes order them per plan target.
      groupId: `${config.SURGE_RULES_GROUP_ID}-actions`,
      topic: topics.actions,
      decode: jsonDecoder('actionResult', actionResult),
      counter: { name: 'surge_rules_plan_results_total', help: 'Action results of plan steps folded into their plans' },
      handle: async (result) => {
        if (!result.plan) return false;
        await evaluator.onPlanResult(result);
        return true;
      },
    });
  }
}

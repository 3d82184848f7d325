import { Inject, Injectable } from '@nestjs/common';
import { actionResult, type ActionResult, type Topics } from '@surge/contracts';
import { jsonDecoder, KAFKA_TOPICS, KafkaConsumers, type RunningConsumer } from '@surge/kafka';
import { MetricsRegistry } from '@surge/service-kit';
import { Counter } from 'prom-client';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { TargetEvaluator } from '../engine/target-evaluator.service';

/**
 * The executors' results, read for the plan steps among them: a step's result is what lets its plan go on.
 * Signed by the executors and verified like their observed state, since a result now steers the engine. Most
 * results are of no plan and are passed over as soon as they are decoded.
 */
@Injectable()
export class ActionResultsConsumer {
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
      name: 'surge_rules_plan_results_total',
      help: 'Action results of plan steps folded into their plans',
      registers: [registry.registry],
    });
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    // A group of its own: results are keyed by the acted-on target, not the plan's, so they follow no partitioning
    // of the samples; the lanes order them per plan target.
    this.consumer = await this.consumers.run<ActionResult>({
      groupId: `${this.config.SURGE_RULES_GROUP_ID}-actions`,
      topics: [this.topics.actions],
      decode: jsonDecoder('actionResult', actionResult),
      handle: async (result) => {
        if (!result.plan) return;
        await this.evaluator.onPlanResult(result);
        this.handled.inc();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }
}

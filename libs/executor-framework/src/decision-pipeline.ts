import type { ActionResult, ScaleDecision } from '@surge/contracts';
import { supersededIds } from '@surge/executor-core';
import type { DecisionProcessor } from './decision-processor';
import type { ExecutorRegistry } from './executor.registry';
import { TargetLanes } from './target-lanes';

/**
 * Spreads one fetched batch over per-target lanes: a target's decisions run in order, different targets at once,
 * so a target whose API is down delays only its own decisions. Kinds another executor owns are left to it.
 */
export class DecisionPipeline {
  private readonly lanes = new TargetLanes();

  constructor(
    private readonly registry: ExecutorRegistry,
    private readonly processor: DecisionProcessor,
  ) {}

  owns(decision: ScaleDecision): boolean {
    return this.registry.owns(decision.target.kind);
  }

  /** `publishedAt` is each decision's Kafka record timestamp, when known. */
  async handleBatch(items: { decision: ScaleDecision; publishedAt?: number | null }[]): Promise<ActionResult[]> {
    const owned = items.filter((i) => this.owns(i.decision));
    const superseded = supersededIds(owned.map((i) => i.decision));
    return Promise.all(
      owned.map(({ decision, publishedAt }) =>
        this.lanes.run(decision.target.id, () =>
          this.processor.process(decision, superseded.has(decision.decisionId), publishedAt ?? null),
        ),
      ),
    );
  }

  drain(): Promise<void> {
    return this.lanes.drain();
  }
}

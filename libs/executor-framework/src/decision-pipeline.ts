import type { ActionResult, ScaleDecision } from '@surge/contracts';
import { supersededIds } from '@surge/executor-core';
import { TargetLanes } from '@surge/lanes';
import type { DecisionProcessor } from './decision-processor';
import type { ExecutorRegistry } from './executor.registry';

const MAX_SETTLED = 10_000;

/**
 * Spreads one fetched batch over per-target lanes: a target's decisions run in order, different targets at once,
 * so a target whose API is down delays only its own decisions. Kinds another executor owns are left to it.
 */
export class DecisionPipeline {
  private readonly lanes = new TargetLanes();
  /**
   * Results of a batch that threw because a decision in it is held (DecisionHeld): the consumer redelivers the
   * same batch, and its other decisions, already published, are skipped rather than reported again as duplicates.
   * Keyed by decision id, as batches of several partitions run at once; an entry goes when its batch goes through.
   * Skipping is always safe (the entry was published); losing one (the cap) costs only a duplicate report.
   */
  private readonly settledInHeldBatch = new Map<string, ActionResult>();

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
    if (owned.length === 0) return [];
    await this.processor.refreshTargets();
    const superseded = supersededIds(owned.map((i) => i.decision));
    const settled = this.settledInHeldBatch;
    // Every lane runs to its end before the batch throws: a held target must not leave another's work in flight
    // while the consumer redelivers.
    const outcomes = await Promise.allSettled(
      owned.map(({ decision, publishedAt }) => {
        const earlier = settled.get(decision.decisionId);
        if (earlier) return Promise.resolve(earlier);
        return this.lanes.run(decision.target.id, () =>
          this.processor.process(decision, superseded.has(decision.decisionId), publishedAt ?? null),
        );
      }),
    );
    const failure = outcomes.find((o) => o.status === 'rejected');
    if (!failure) {
      for (const { decision } of owned) settled.delete(decision.decisionId);
      return outcomes.map((o) => (o as PromiseFulfilledResult<ActionResult>).value);
    }
    // A partition that moved to another executor while held leaves its entries behind: bound them.
    if (settled.size > MAX_SETTLED) settled.clear();
    for (const o of outcomes) if (o.status === 'fulfilled') settled.set(o.value.decisionId, o.value);
    throw failure.reason;
  }

  drain(): Promise<void> {
    return this.lanes.drain();
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ScaleDecision, Topics } from '@surge/contracts';
import { KAFKA_TOPICS, SurgeProducer } from '@surge/kafka';
import type { StoredTarget } from '../state/stored-target.codec';
import { TargetStateRepository } from '../state/target-state.repository';
import { RulesEngineMetrics } from './rules-engine.metrics';

/** A target's new state together with the decisions it produced. */
export interface DecidedTarget {
  id: string;
  stored: StoredTarget;
}

/**
 * The transactional outbox of decisions. A decision is saved in its target's stored value, with the state that
 * produced it, before it is published; a value loaded with a non-empty outbox is a crash between the two, and
 * its decisions are published again. Decision ids are deterministic, so every replay repeats the same ids and
 * executors drop the copies: a crash at any point neither loses a decision nor re-evaluates into a new one.
 */
@Injectable()
export class DecisionOutbox {
  private readonly logger = new Logger(DecisionOutbox.name);

  constructor(
    private readonly repository: TargetStateRepository,
    private readonly producer: SurgeProducer,
    @Inject(KAFKA_TOPICS) private readonly topics: Topics,
    private readonly metrics: RulesEngineMetrics,
  ) {}

  /** Saves each target's state with its decisions in the outbox, in one round trip, then publishes them. */
  async deliver(decided: readonly DecidedTarget[]): Promise<void> {
    if (!decided.length) return;
    await this.repository.saveMany(decided.map((d): [string, StoredTarget] => [d.id, d.stored]));
    await this.publish(decided.flatMap((d) => d.stored.outbox));
  }

  /**
   * Publishes what loaded values still hold in their outbox. The caller then saves those targets with an empty
   * outbox; a crash before that only repeats the same ids once more.
   */
  async replay(loaded: readonly (StoredTarget | null)[]): Promise<boolean> {
    // Most batches strand nothing: no list is built for them.
    let stranded: ScaleDecision[] | undefined;
    for (const stored of loaded) {
      if (stored === null || !stored.outbox.length) continue;
      stranded ??= [];
      for (const decision of stored.outbox) stranded.push(decision);
    }
    if (stranded) await this.publish(stranded);
    return stranded !== undefined;
  }

  private async publish(decisions: ScaleDecision[]): Promise<void> {
    await this.producer.send(
      this.topics.decisions,
      decisions.map((d) => ({ key: d.target.id, value: JSON.stringify(d) })),
    );
    for (const decision of decisions) {
      this.metrics.countDecision(decision);
      this.logger.log(`${decision.decisionId} ${decision.target.id} ${decision.explanation.summary}`);
    }
  }
}

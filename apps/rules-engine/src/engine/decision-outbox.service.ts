import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Topics } from '@surge/contracts';
import { KAFKA_TOPICS, SurgeProducer } from '@surge/kafka';
import { SurgeTracing } from '@surge/tracing';
import type { OutboxEntry, StoredTarget } from '../state/stored-target.codec';
import { TargetStateRepository } from '../state/target-state.repository';
import { RulesEngineMetrics } from './rules-engine.metrics';

/** A target's new state together with the decisions, alerts and explanations it produced. */
export interface DecidedTarget {
  id: string;
  stored: StoredTarget;
}

/** The topic of each kind of entry; every entry is keyed by its target's id, so a target's events stay in order. */
const TOPIC_OF = { decision: 'decisions', alert: 'alerts', explanation: 'explanations' } as const;

/**
 * The transactional outbox of decisions, and of the alerts and explanations of the same evaluations, each kind
 * to its topic. A decision is saved in its target's stored value, with the state that
 * produced it, before it is published; a value loaded with a non-empty outbox is a crash between the two, and
 * its events are published again. Their ids are deterministic, so every replay repeats the same ids and
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
    private readonly tracing: SurgeTracing,
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
    let stranded: OutboxEntry[] | undefined;
    for (const stored of loaded) {
      if (stored === null || !stored.outbox.length) continue;
      stranded ??= [];
      for (const entry of stored.outbox) stranded.push(entry);
    }
    if (stranded) await this.publish(stranded);
    return stranded !== undefined;
  }

  /**
   * One send per kind present, decisions first; a failure leaves the whole outbox to replay. With tracing on, the
   * events carry the context of the batch span they were decided in (a replay, decided earlier, carries none; a
   * wake-up timer's decision carries that of the batch that set the timer, its cause).
   */
  private async publish(entries: OutboxEntry[]): Promise<void> {
    const headers = this.tracing.activeHeaders();
    for (const kind of ['decision', 'alert', 'explanation'] as const) {
      const events = entries.filter((entry) => entry.kind === kind);
      if (!events.length) continue;
      await this.producer.send(
        this.topics[TOPIC_OF[kind]],
        events.map((entry) => ({ key: entry.event.target.id, value: JSON.stringify(entry.event), headers })),
      );
    }
    for (const entry of entries) this.logPublished(entry);
  }

  private logPublished(entry: OutboxEntry): void {
    switch (entry.kind) {
      case 'decision':
        this.metrics.countDecision(entry.event);
        return this.logger.log(`${entry.event.decisionId} ${entry.event.target.id} ${entry.event.explanation.summary}`);
      case 'alert':
        return this.logger.log(`${entry.event.alertId} ${entry.event.status} ${entry.event.annotations.summary}`);
      case 'explanation':
        return this.logger.log(`${entry.event.explanationId} ${entry.event.target.id} ${entry.event.summary}`);
    }
  }
}

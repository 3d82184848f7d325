import type { ActionResult } from '@surge/contracts';
import { Logger } from '@nestjs/common';
import type { DecisionStore } from './decision.store';

/**
 * Puts back what Redis lost from the actions topic, the durable record of what was done: every final result
 * published within the horizon (the records' own TTL, so nothing Redis would still have held is missed) becomes
 * a `published` record again, so a redelivered decision is reported `duplicate` instead of handled a second time,
 * and the last change time of each setting returns for the interval guardrail. Between a change and its published
 * result no record is on the topic; check before act covers that gap: the replay reads the value already set.
 */
export class DecisionRecordsRecovery {
  private readonly logger = new Logger(DecisionRecordsRecovery.name);
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: DecisionStore,
    /** Every result on the actions topic since the given epoch ms, oldest first (`readRecentResults`). */
    private readonly readResults: (sinceMs: number) => Promise<ActionResult[]>,
    private readonly horizonMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** One rebuild at a time: the lanes that find the records lost together all wait for the same one. */
  rebuild(): Promise<void> {
    // eslint-disable-next-line no-restricted-syntax -- returned: every lane that joins the rebuild awaits it.
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<void> {
    const started = performance.now();
    const results = await this.readResults(this.now() - this.horizonMs);
    await this.store.restore(results);
    this.logger.log(
      `decision records rebuilt from ${results.length} results on the actions topic in ${Math.round(performance.now() - started)} ms`,
    );
  }
}

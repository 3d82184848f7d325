import { type ActionResult, actionResult, type ScaleDecision } from '@surge/contracts';
import {
  evaluateGuardrails,
  type GuardrailState,
  idempotenceAction,
  judgeStaleness,
  supersessionKey,
  type TargetCatalog,
} from '@surge/executor-core';
import { Logger } from '@nestjs/common';
import { actionResultFor, type ResultFields } from './action-result.factory';
import type { ApplyRunner } from './apply-runner';
import type { DecisionStore } from './decision.store';
import { messageOf, statusForError } from './executor.error';
import type { ExecutorRegistry } from './executor.registry';
import { resolveTarget } from './targets-file.loader';

export interface ProcessorOptions {
  executorName: string;
  maxAgeMs: number;
  guardrails: () => GuardrailState;
  /** Puts a final result on the actions topic; resolves once the broker has it. */
  publish: (result: ActionResult) => Promise<void>;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

interface Outcome {
  result: ActionResult;
  /** Set when the target was changed: the watermark moves to this eventTime. */
  appliedEventTime: number | null;
}

/**
 * Turns one decision into exactly one final ActionResult, published before it returns: duplicates and stale
 * decisions are recognised first, guardrails next, and only then is the target touched.
 */
export class DecisionProcessor {
  private readonly logger = new Logger(DecisionProcessor.name);
  private readonly now: () => number;

  constructor(
    private readonly registry: ExecutorRegistry,
    private readonly catalog: TargetCatalog,
    private readonly store: DecisionStore,
    private readonly runner: ApplyRunner,
    private readonly options: ProcessorOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * `superseded` is set when a newer decision for the same target waits in the same batch; `publishedAt` is the
   * decision record's Kafka timestamp, from which its age is measured.
   */
  async process(
    decision: ScaleDecision,
    superseded: boolean = false,
    publishedAt: number | null = null,
  ): Promise<ActionResult> {
    const startedAt = this.now();
    const key = supersessionKey(decision);
    const { previous, latestEventTime } = await this.store.begin(decision.decisionId, key, startedAt);
    const action = idempotenceAction(previous);
    if (action === 'republish' && previous && previous.phase !== 'claimed') {
      return this.publish(actionResult.parse(JSON.parse(previous.resultJson)));
    }
    if (action === 'duplicate') {
      // Not recorded: the id's record must keep saying what was really done the first time.
      const duplicate = this.result(decision, { status: 'duplicate', startedAt, error: 'decision already handled' });
      await this.options.publish(duplicate);
      return duplicate;
    }
    const { result, appliedEventTime } = await this.decide(
      decision,
      superseded,
      latestEventTime,
      startedAt,
      publishedAt,
    );
    // Recorded before publishing: a crash in between republishes this result instead of acting again.
    await this.store.complete(result, key, appliedEventTime);
    return this.publish(result);
  }

  private async decide(
    decision: ScaleDecision,
    superseded: boolean,
    latestEventTime: number | null,
    startedAt: number,
    publishedAt: number | null,
  ): Promise<Outcome> {
    const done = (fields: Omit<ResultFields, 'startedAt'>, appliedEventTime: number | null = null): Outcome => ({
      result: this.result(decision, { ...fields, startedAt }),
      appliedEventTime,
    });
    if (superseded) return done({ status: 'stale', error: 'superseded by a newer decision in the same batch' });
    const verdict = evaluateGuardrails(decision, this.catalog, this.options.guardrails());
    if (verdict.verdict === 'rejected') return done({ status: 'rejected', error: verdict.reason });
    const staleness = judgeStaleness(decision, startedAt, this.options.maxAgeMs, latestEventTime, publishedAt);
    if (staleness.stale) return done({ status: 'stale', error: staleness.reason });

    let target;
    try {
      target = resolveTarget(verdict.target, this.options.env);
    } catch (error) {
      return done({ status: 'failed', error: messageOf(error) });
    }
    const executor = this.registry.forKind(decision.target.kind);
    if (verdict.verdict === 'dry-run') {
      const before = await executor.read(target, decision.setting).catch(() => null);
      return done({
        status: 'dry-run',
        before,
        after: before,
        note: `dry run: would set ${decision.setting} to ${verdict.value}${verdict.note ? ` (${verdict.note})` : ''}`,
      });
    }

    const outcome = await this.runner.run(executor, target, decision, verdict.value);
    if (!outcome.ok) {
      this.logger.warn(`decision ${decision.decisionId} on ${decision.target.id} failed: ${messageOf(outcome.error)}`);
      return done({ status: statusForError(outcome.error), before: outcome.before, error: messageOf(outcome.error) });
    }
    // A clamp is not an error, but the reader of the result must see that the decision was not applied as asked.
    return done(
      {
        status: 'applied',
        before: outcome.before,
        after: outcome.after,
        verified: outcome.verified,
        note: verdict.note,
      },
      decision.eventTime,
    );
  }

  private result(decision: ScaleDecision, fields: ResultFields): ActionResult {
    return actionResultFor(decision, this.options.executorName, fields, this.now());
  }

  private async publish(result: ActionResult): Promise<ActionResult> {
    await this.options.publish(result);
    await this.store.markPublished(result);
    return result;
  }
}

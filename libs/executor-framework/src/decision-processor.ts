import { type ActionResult, actionResult, type ScaleDecision } from '@surge/contracts';
import {
  type DecisionRecord,
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
import { DecisionHeld, holdsDecision, messageOf, statusForError } from './executor.error';
import type { ExecutorRegistry } from './executor.registry';
import { type ConnectionVariables, resolveTarget } from './targets-file.loader';

export interface ProcessorOptions {
  executorName: string;
  maxAgeMs: number;
  guardrails: () => GuardrailState;
  /** Puts a final result on the actions topic; resolves once the broker has it. */
  publish: (result: ActionResult) => Promise<void>;
  /**
   * Told of each decision's final result once it is published (a duplicate delivery excepted): the alerts of
   * failed actions come from it. It must not throw: the result is out, so nothing may retry the decision for it.
   */
  published?: (decision: ScaleDecision, result: ActionResult) => Promise<void>;
  /** The connection variables captured at boot (`connectionVariablesOf`); none by default. */
  connections?: ConnectionVariables;
  /**
   * Rebuilds the decision records from the actions topic when Redis has lost them (`DecisionRecordsRecovery`).
   * Without it a loss is only noted (the records start empty), which suits a host with no actions topic to read.
   */
  recoverRecords?: () => Promise<void>;
  now?: () => number;
}

interface Outcome {
  result: ActionResult;
  /** Set when the decision was applied: the watermark moves to this eventTime. */
  appliedEventTime: number | null;
  /** Set when the target was really changed (not already at the value): the interval guardrail counts from it. */
  changed: boolean;
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

  /** Reloads a catalog whose targets change at run time, so a batch is judged against the targets of now. */
  refreshTargets(): Promise<void> {
    return this.catalog.refresh();
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
    const { previous, latestEventTime, lastChangedAt } = await this.begin(decision.decisionId, key, startedAt);
    const action = idempotenceAction(previous);
    // `done` also means "published, then Redis failed before it could record so": the actions topic is asked
    // first, so a result already out is reported as a duplicate delivery, never published a second time.
    const republish = action === 'republish' && previous && previous.phase !== 'claimed';
    if (republish && !(await this.publishedMeanwhile(decision.decisionId))) {
      return this.publish(decision, storedResult(previous.resultJson)!);
    }
    if (action === 'duplicate' || republish) {
      // Not recorded: the id's record must keep saying what was really done the first time.
      const duplicate = this.result(decision, { status: 'duplicate', startedAt, error: 'decision already handled' });
      await this.options.publish(duplicate);
      return duplicate;
    }
    const { result, appliedEventTime, changed } = await this.decide(decision, superseded, startedAt, {
      latestEventTime,
      lastChangedAt,
      publishedAt,
    });
    // Recorded before publishing: a crash in between republishes this result instead of acting again.
    await this.store.complete(result, key, appliedEventTime, changed ? result.time : null);
    return this.publish(decision, result);
  }

  /**
   * Claims the id; when Redis has lost the records, rebuilds them first, so a decision already handled is known
   * as such even though Redis forgot it. A second loss during the rebuild fails the batch, to be retried.
   * A record this executor cannot read (a newer release's shape, a damaged value) is never guessed at: it is
   * rebuilt from the actions topic like lost records, and one the topic holds no result for was never published,
   * so the decision is applied (values are absolute, so applying again is safe).
   */
  private async begin(decisionId: string, key: string, now: number) {
    let rebuilt = false;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const begun = await this.store.begin(decisionId, key, now);
      const unreadable = begun.recordsLost ? null : (begun.unreadable ?? resultUnreadable(begun.previous));
      if (!begun.recordsLost && !unreadable) return begun;
      if (!begun.recordsLost && rebuilt) {
        this.logger.warn(`decision ${decisionId}: record still unreadable after the rebuild (${unreadable}): applying`);
        return { ...begun, previous: null };
      }
      rebuilt = true;
      this.logger.warn(
        unreadable
          ? `decision ${decisionId}: record unreadable (${unreadable}): rebuilding the records from the actions topic`
          : `decision records missing in Redis (lost or never written): rebuilding before ${decisionId}`,
      );
      await (this.options.recoverRecords?.() ?? this.store.restore([]));
    }
    throw new Error(`decision records lost again while rebuilding them, before ${decisionId}`);
  }

  private async decide(
    decision: ScaleDecision,
    superseded: boolean,
    startedAt: number,
    known: { latestEventTime: number | null; lastChangedAt: number | null; publishedAt: number | null },
  ): Promise<Outcome> {
    const { latestEventTime, publishedAt } = known;
    const done = (
      fields: Omit<ResultFields, 'startedAt'>,
      appliedEventTime: number | null = null,
      changed = false,
    ): Outcome => ({
      result: this.result(decision, { ...fields, startedAt }),
      appliedEventTime,
      changed,
    });
    if (superseded) return done({ status: 'stale', error: 'superseded by a newer decision in the same batch' });
    const verdict = evaluateGuardrails(decision, this.catalog, this.options.guardrails());
    if (verdict.verdict === 'rejected') return done({ status: 'rejected', error: verdict.reason });
    const staleness = judgeStaleness(decision, startedAt, this.options.maxAgeMs, latestEventTime, publishedAt);
    if (staleness.stale) return done({ status: 'stale', error: staleness.reason });

    let target;
    try {
      target = resolveTarget(verdict.target, this.options.connections ?? {});
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

    const outcome = await this.runner.run(executor, target, decision, verdict.value, {
      lastChangedAt: known.lastChangedAt,
      now: startedAt,
    });
    if (!outcome.ok) {
      // Nothing recorded: the id stays claimed, which the redelivery treats as never applied (idempotenceAction).
      if (holdsDecision(outcome.error)) throw new DecisionHeld(decision.decisionId, { cause: outcome.error });
      const status = statusForError(outcome.error);
      this.logger.warn(
        `decision ${decision.decisionId} on ${decision.target.id} ${status}: ${messageOf(outcome.error)}`,
      );
      return done({ status, before: outcome.before, error: messageOf(outcome.error) });
    }
    // A clamp is not an error, but the reader of the result must see that the decision was not applied as asked.
    const notes = [
      verdict.note,
      outcome.changed ? null : `${decision.setting} already read ${verdict.value}: nothing was changed`,
    ].filter(Boolean);
    // Not ready is still a change made: the watermark and the interval guardrail count it like an applied one.
    const notReady = outcome.readiness && !outcome.readiness.ready ? outcome.readiness.detail : null;
    if (notReady) notes.push(notReady);
    return done(
      {
        status: notReady ? 'not-ready' : 'applied',
        before: outcome.before,
        after: outcome.after,
        verified: outcome.verified,
        error: notReady,
        note: notes.length ? notes.join('; ') : null,
      },
      decision.eventTime,
      outcome.changed,
    );
  }

  private result(decision: ScaleDecision, fields: ResultFields): ActionResult {
    return actionResultFor(decision, this.options.executorName, fields, this.now());
  }

  /** Whether the actions topic already holds this decision's result: the records are rebuilt from it to tell. */
  private async publishedMeanwhile(decisionId: string): Promise<boolean> {
    if (!this.options.recoverRecords) return false;
    await this.options.recoverRecords();
    return (await this.store.get(decisionId))?.phase === 'published';
  }

  private async publish(decision: ScaleDecision, result: ActionResult): Promise<ActionResult> {
    await this.options.publish(result);
    await this.store.markPublished(result);
    await this.options.published?.(decision, result);
    return result;
  }
}

/** The result a record holds, or null when it does not hold one of the contract's versions. */
function storedResult(resultJson: string): ActionResult | null {
  try {
    const parsed = actionResult.safeParse(JSON.parse(resultJson));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function resultUnreadable(previous: DecisionRecord | null): string | null {
  if (!previous || previous.phase === 'claimed' || storedResult(previous.resultJson)) return null;
  return 'the recorded result is not an action result this executor reads';
}

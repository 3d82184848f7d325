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

  /** `supersededBy` is set when a newer decision for the same target waits in the same batch. */
  async process(decision: ScaleDecision, supersededBy: boolean = false): Promise<ActionResult> {
    const startedAt = this.now();
    const previous = await this.store.claim(decision.decisionId, startedAt);
    const action = idempotenceAction(previous);
    if (action === 'republish' && previous && previous.phase !== 'claimed') {
      const stored = actionResult.parse(JSON.parse(previous.resultJson));
      return this.finish(stored);
    }
    if (action === 'duplicate') {
      return this.finish(this.result(decision, { status: 'duplicate', startedAt, error: 'decision already handled' }), false);
    }
    const result = await this.decide(decision, supersededBy, startedAt);
    await this.store.recordResult(result, 'done');
    return this.finish(result);
  }

  private async decide(decision: ScaleDecision, supersededBy: boolean, startedAt: number): Promise<ActionResult> {
    if (supersededBy) return this.result(decision, { status: 'stale', startedAt, error: 'superseded by a newer decision in the same batch' });
    const verdict = evaluateGuardrails(decision, this.catalog, this.options.guardrails());
    if (verdict.verdict === 'rejected') return this.result(decision, { status: 'rejected', startedAt, error: verdict.reason });

    const key = supersessionKey(decision);
    const staleness = judgeStaleness(decision, startedAt, this.options.maxAgeMs, await this.store.latestEventTime(key));
    if (staleness.stale) return this.result(decision, { status: 'stale', startedAt, error: staleness.reason });

    let target;
    try {
      target = resolveTarget(verdict.target, this.options.env);
    } catch (error) {
      return this.result(decision, { status: 'failed', startedAt, error: messageOf(error) });
    }
    const executor = this.registry.forKind(decision.target.kind);
    if (verdict.verdict === 'dry-run') {
      const before = await executor.read(target, decision.setting).catch(() => null);
      const note = `dry run: would set ${decision.setting} to ${verdict.value}${verdict.note ? ` (${verdict.note})` : ''}`;
      return this.result(decision, { status: 'dry-run', startedAt, before, after: before, note });
    }

    const outcome = await this.runner.run(executor, target, decision, verdict.value);
    if (!outcome.ok) {
      this.logger.warn(`decision ${decision.decisionId} on ${decision.target.id} failed: ${messageOf(outcome.error)}`);
      return this.result(decision, { status: statusForError(outcome.error), startedAt, before: outcome.before, error: messageOf(outcome.error) });
    }
    await this.store.raiseEventTime(key, decision.eventTime);
    return this.result(decision, {
      status: 'applied',
      startedAt,
      before: outcome.before,
      after: outcome.after,
      verified: outcome.verified,
      // A clamp is not an error, but the reader of the result must see that the decision was not applied as asked.
      note: verdict.note,
    });
  }

  private result(decision: ScaleDecision, fields: ResultFields): ActionResult {
    return actionResultFor(decision, this.options.executorName, fields, this.now());
  }

  private async finish(result: ActionResult, record = true): Promise<ActionResult> {
    await this.options.publish(result);
    if (record) await this.store.recordResult(result, 'published');
    return result;
  }
}

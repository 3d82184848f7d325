import type { ActionResult, ScaleDecision } from '@surge/contracts';
import type { Decoded } from '@surge/kafka';
import { type Span, SpanKind, SpanStatusCode, type SurgeTracing } from '@surge/tracing';

/**
 * One span per decision an executor acts on, from the fetched batch to its final result, continuing the trace
 * the rules engine put in the decision's headers; the result on the actions topic carries it on. Decisions are
 * few (one per scaling step), so each gets its own span. Keyed by decision id: the result is published from
 * deep in the pipeline, which knows the id, not the record.
 */
export class DecisionSpans {
  private readonly open = new Map<string, Span>();

  constructor(private readonly tracing: SurgeTracing) {}

  begin(items: readonly Decoded<ScaleDecision>[], owns: (decision: ScaleDecision) => boolean): void {
    for (const { item: decision, ctx } of items) {
      if (!owns(decision)) continue;
      this.open.get(decision.decisionId)?.end();
      const span = this.tracing.startSpan('executor apply', {
        kind: SpanKind.CONSUMER,
        parent: this.tracing.spanContextOf(ctx.message.headers),
        attributes: {
          'surge.decision_id': decision.decisionId,
          'surge.target': decision.target.id,
          'messaging.destination.name': ctx.topic,
        },
      });
      this.open.set(decision.decisionId, span);
    }
  }

  /** The headers of the result's decision span; undefined when it has none (tracing off, or not this batch's). */
  headersFor(decisionId: string): Record<string, string> | undefined {
    const span = this.open.get(decisionId);
    return span && this.tracing.headersOf(span);
  }

  /** The result is out: its span ends with its status. */
  published(result: ActionResult): void {
    const span = this.open.get(result.decisionId);
    if (!span) return;
    span.setAttribute('surge.result_status', result.status);
    if (result.status === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: result.error ?? 'failed' });
    span.end();
    this.open.delete(result.decisionId);
  }

  /**
   * The batch is over: spans still open had no result published in it (a copy settled by an earlier attempt), or
   * the batch threw, to be redelivered with new spans, and they end as errors.
   */
  finish(items: readonly Decoded<ScaleDecision>[], error?: unknown): void {
    for (const { item } of items) {
      const span = this.open.get(item.decisionId);
      if (!span) continue;
      if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      span.end();
      this.open.delete(item.decisionId);
    }
  }
}

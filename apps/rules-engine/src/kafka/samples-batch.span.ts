import type { Decoded } from '@surge/kafka';
import { type Span, SpanKind, type SpanContext, type SurgeTracing } from '@surge/tracing';

/** Enough to follow a batch back to the requests it mixes, without parsing thousands of headers per batch. */
const MAX_LINKS = 8;

/**
 * The span of one fetched batch of samples. The engine evaluates ~100k samples/s in batches, so it traces the
 * batch, the unit it works in, never a sample: one span whose parent is the first traced record's context
 * (usually the one ingest request the batch came from) and whose links are the next few distinct ones. Every
 * decision published while the batch is evaluated carries this span's context (DecisionOutbox reads it).
 */
export function batchSpan(tracing: SurgeTracing, items: readonly Decoded<unknown>[]): Span {
  let parent: SpanContext | undefined;
  const links: SpanContext[] = [];
  const seen = new Set<string>();
  for (const { ctx } of items) {
    const header = ctx.message.headers?.['traceparent'];
    if (header === undefined) continue;
    const key = String(header);
    if (seen.has(key)) continue;
    seen.add(key);
    const found = tracing.spanContextOf({ traceparent: header });
    if (!found) continue;
    if (!parent) parent = found;
    else links.push(found);
    if (links.length >= MAX_LINKS) break;
  }
  const first = items[0]?.ctx;
  return tracing.startSpan('rules-engine evaluate', {
    kind: SpanKind.CONSUMER,
    parent,
    links,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.destination.name': first?.topic ?? '',
      'messaging.batch.message_count': items.length,
    },
  });
}

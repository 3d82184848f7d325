import type { Decoded } from '@surge/kafka';
import { SurgeTracing } from '@surge/tracing';
import { OtlpReceiver } from '@surge/tracing/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchSpan } from './samples-batch.span';

const traceparent = (n: number) => `00-${String(n).padStart(32, 'a')}-${String(n).padStart(16, 'b')}-01`;
const record = (header?: string): Decoded<unknown> =>
  ({
    item: {},
    ctx: { topic: 'samples', message: { headers: header === undefined ? {} : { traceparent: Buffer.from(header) } } },
  }) as unknown as Decoded<unknown>;

describe('batchSpan: one span per fetched batch of samples', () => {
  const receiver = new OtlpReceiver();
  let tracing: SurgeTracing;
  beforeAll(async () => {
    await receiver.start();
    tracing = SurgeTracing.start({ serviceName: 'rules-engine', tracesUrl: `${receiver.url}/v1/traces` });
  });
  afterAll(() => receiver.stop());

  it('is the child of the first traced record, links the next distinct ones (8 at most), skips untraced ones', async () => {
    const items = [
      record(),
      record(traceparent(1)),
      record(traceparent(1)),
      record('not a traceparent'),
      ...Array.from({ length: 12 }, (_, i) => record(traceparent(i + 2))),
    ];
    const span = batchSpan(tracing, items);
    span.end();
    await tracing.shutdown();
    const [exported] = receiver.spans;
    expect(exported).toMatchObject({
      name: 'rules-engine evaluate',
      traceId: String(1).padStart(32, 'a'),
      parentSpanId: String(1).padStart(16, 'b'),
      attributes: { 'messaging.batch.message_count': items.length, 'messaging.destination.name': 'samples' },
    });
    expect(exported!.links.map((link) => link.spanId)).toEqual(
      Array.from({ length: 8 }, (_, i) => String(i + 2).padStart(16, 'b')),
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SurgeTracing } from './surge-tracing';
import { OtlpReceiver } from './testing';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const waitForSpans = async (receiver: OtlpReceiver, count: number) => {
  for (let i = 0; i < 100 && receiver.spans.length < count; i += 1) await new Promise((r) => setTimeout(r, 50));
  return receiver.spans;
};

describe('SurgeTracing', () => {
  it('is off without an endpoint: nothing to start a span with', () => {
    const tracing = SurgeTracing.start({ serviceName: 'test', tracesUrl: undefined });
    expect(tracing).toBe(SurgeTracing.OFF);
    expect(tracing.enabled).toBe(false);
    expect(tracing.activeHeaders()).toBeUndefined();
  });

  describe('with an OTLP endpoint', () => {
    const receiver = new OtlpReceiver();
    let tracing: SurgeTracing;
    beforeAll(async () => {
      await receiver.start();
      tracing = SurgeTracing.start({ serviceName: 'surge-test', tracesUrl: `${receiver.url}/v1/traces` });
    });
    afterAll(async () => {
      await tracing.shutdown();
      await receiver.stop();
    });

    it('reads a traceparent from Kafka (Buffer) or HTTP (string) headers, and ignores a malformed one', () => {
      expect(tracing.spanContextOf({ traceparent: Buffer.from(PARENT) })?.spanId).toBe('b7ad6b7169203331');
      expect(tracing.spanContextOf({ traceparent: PARENT })?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(tracing.spanContextOf({ traceparent: '00-zz-01' })).toBeUndefined();
      expect(tracing.spanContextOf(undefined)).toBeUndefined();
    });

    it('continues the incoming trace, carries the active span in headers, and exports on shutdown', async () => {
      const parent = tracing.spanContextOf({ traceparent: PARENT })!;
      const linked = tracing.spanContextOf({ traceparent: '00-11111111111111111111111111111111-2222222222222222-01' })!;
      const span = tracing.startSpan('work', { parent, links: [linked], attributes: { 'surge.items': 3 } });
      const headers = await tracing.within(span, async () => {
        await new Promise((r) => setImmediate(r));
        return tracing.activeHeaders();
      });
      expect(headers?.traceparent).toBe(`00-${parent.traceId}-${span.spanContext().spanId}-01`);
      expect(tracing.activeHeaders()).toBeUndefined();

      await tracing.shutdown();
      const [exported] = await waitForSpans(receiver, 1);
      expect(exported).toEqual({
        serviceName: 'surge-test',
        name: 'work',
        traceId: parent.traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: parent.spanId,
        links: [{ traceId: linked.traceId, spanId: linked.spanId }],
        attributes: { 'surge.items': 3 },
        failed: false,
      });
    });

    it('marks a span whose work threw as an error, and passes the error on', async () => {
      const failing = SurgeTracing.start({ serviceName: 'surge-test', tracesUrl: `${receiver.url}/v1/traces` });
      const span = failing.startSpan('failing');
      await expect(failing.within(span, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      await failing.shutdown();
      const exported = (await waitForSpans(receiver, 2)).find((s) => s.spanId === span.spanContext().spanId);
      expect(exported).toMatchObject({ name: 'failing', failed: true, parentSpanId: '' });
    });
  });
});

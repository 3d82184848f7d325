import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageTooLargeError, produceRequests } from './message-size';

const framed = (m: { key: string; value: string }) => Buffer.byteLength(m.value) + Buffer.byteLength(m.key) + 64;

describe('produceRequests', () => {
  it('keeps every message in order and no request over the size unless it holds one message', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 50 }),
        fc.integer({ min: 400, max: 2000 }),
        (values, max) => {
          const messages = values.map((value, i) => ({ key: `k${i % 3}`, value }));
          const requests = produceRequests([{ topic: 't', messages }], max);
          expect(requests.flatMap((r) => r.topicMessages.flatMap((t) => t.messages))).toEqual(messages);
          for (const request of requests) {
            const sent = request.topicMessages.flatMap((t) => t.messages) as typeof messages;
            expect(request.bytes).toBe(sent.reduce((sum, m) => sum + framed(m), 64));
            if (sent.length > 1) expect(request.bytes).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });

  it('keeps a send that fits as one request, topics as they were', () => {
    const topicMessages = [
      { topic: 'a', messages: [{ key: 'x', value: '1' }] },
      { topic: 'b', messages: [{ key: 'y', value: '2' }] },
    ];
    const requests = produceRequests(topicMessages, 16 * 1024);
    expect(requests.map((r) => r.topicMessages)).toEqual([topicMessages]);
  });

  it('counts headers, so signed messages do not push a request past the size', () => {
    const headers = { 'surge-signature': 's'.repeat(200) };
    const messages = [1, 2].map((i) => ({ key: 'k', value: 'v'.repeat(300), headers, i }));
    expect(produceRequests([{ topic: 't', messages }], 900)).toHaveLength(2);
    expect(produceRequests([{ topic: 't', messages: messages.map(({ headers: _h, ...m }) => m) }], 900)).toHaveLength(
      1,
    );
  });

  it('refuses a message whose value alone is over the size, naming topic, key and the setting', () => {
    const messages = [
      { key: 'small', value: 'x' },
      { key: 'shop/big', value: Buffer.alloc(2000) },
    ];
    expect(() => produceRequests([{ topic: 'samples', messages }], 1000)).toThrow(MessageTooLargeError);
    try {
      produceRequests([{ topic: 'samples', messages }], 1000);
    } catch (error) {
      expect(error).toMatchObject({ topic: 'samples', key: 'shop/big', bytes: 2000, maxBytes: 1000 });
      expect((error as Error).message).toContain('KAFKA_MAX_MESSAGE_BYTES=1000');
    }
  });
});

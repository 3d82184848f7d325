import { describe, expect, it } from 'vitest';
import { deadLetterRecordFor, sendToDeadLetter } from './dead-letter';
import { MessageTooLargeError } from './message-size';

const LIMIT = 900_000;

/** A producer that refuses any message over LIMIT, as SurgeProducer does before sending anything. */
function limitedProducer() {
  const sent: string[] = [];
  return {
    sent,
    send: async (topic: string, messages: { key: string | null; value: string }[]) => {
      for (const m of messages) {
        const bytes = Buffer.byteLength(m.value);
        if (bytes > LIMIT) throw new MessageTooLargeError(topic, m.key, bytes, LIMIT);
      }
      sent.push(...messages.map((m) => m.value));
    },
  };
}

const recordOf = (value: Buffer) =>
  deadLetterRecordFor(
    { topic: 'in', partition: 0, message: { key: Buffer.from('k'), value, offset: '7' } as never },
    'group',
    'invalid-json',
    new Error('not JSON'),
    1,
  );

describe('sendToDeadLetter', () => {
  it('parks a record whole when it fits', async () => {
    const producer = limitedProducer();
    await sendToDeadLetter(producer, 'dlq', recordOf(Buffer.from('{"broken"')));
    const parked = JSON.parse(producer.sent[0]!);
    expect(Buffer.from(parked.valueBase64, 'base64').toString()).toBe('{"broken"');
    expect(parked.valueBytes).toBeUndefined();
  });

  it('parks a record too large for the message limit with the first bytes and the length of the original', async () => {
    const producer = limitedProducer();
    const original = Buffer.alloc(800_000, 'x');
    await sendToDeadLetter(producer, 'dlq', recordOf(original));
    expect(producer.sent).toHaveLength(1);
    const parked = JSON.parse(producer.sent[0]!);
    expect(Buffer.byteLength(producer.sent[0]!)).toBeLessThanOrEqual(LIMIT);
    expect(parked.valueBytes).toBe(800_000);
    const kept = Buffer.from(parked.valueBase64, 'base64');
    expect(kept.length).toBeGreaterThan(600_000);
    expect(original.subarray(0, kept.length).equals(kept)).toBe(true);
    expect(parked).toMatchObject({ reason: 'invalid-json', source: { topic: 'in', offset: '7' } });
  });

  it('passes any other failure on, so the message is redelivered rather than lost', async () => {
    const failing = { send: async () => Promise.reject(new Error('broker down')) };
    await expect(sendToDeadLetter(failing, 'dlq', recordOf(Buffer.from('x')))).rejects.toThrow('broker down');
  });
});

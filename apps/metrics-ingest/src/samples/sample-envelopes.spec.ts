import { type MetricSample, sampleEnvelope } from '@surge/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_MAX_MESSAGE_BYTES } from '@surge/config';
import { envelopesByTarget, toKafkaMessages } from './sample-envelopes';

const sample = fc.record({
  schemaVersion: fc.constant(1 as const),
  target: fc.constantFrom('a/x', 'b/y', 'c/z'),
  metric: fc.constantFrom('rps', 'queue_depth'),
  value: fc.double({ noNaN: true, noDefaultInfinity: true }),
  timestamp: fc.nat(),
});

describe('envelopesByTarget', () => {
  it('gives one message per target, keyed by it, each keeping its samples in request order and losing none', () => {
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 60 }), (samples: MetricSample[]) => {
        const messages = toKafkaMessages(envelopesByTarget(samples), DEFAULT_KAFKA_MAX_MESSAGE_BYTES);
        const targets = [...new Set(samples.map((s) => s.target))];
        expect(messages.map((m) => m.key)).toEqual(targets);
        for (const message of messages) {
          const envelope = sampleEnvelope.parse(JSON.parse(message.value as string));
          expect(envelope.target).toBe(message.key);
          // JSON has no -0: it comes back as 0.
          const expected = samples
            .filter((s) => s.target === message.key)
            .map((s) => ({ ...s, value: s.value === 0 ? 0 : s.value }));
          expect(envelope.samples).toEqual(expected);
        }
      }),
    );
  });
});

describe('toKafkaMessages under a message size', () => {
  const labelled = sample.map((s) => ({ ...s, labels: { pod: 'p'.repeat(200) } }));

  it('splits a target whose envelope is too large into messages under the size, same key, order and samples kept', () => {
    fc.assert(
      fc.property(
        fc.array(labelled, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 400, max: 4000 }),
        (samples: MetricSample[], maxBytes) => {
          const messages = toKafkaMessages(envelopesByTarget(samples), maxBytes);
          for (const message of messages)
            expect(Buffer.byteLength(message.value as string)).toBeLessThanOrEqual(maxBytes);
          for (const target of new Set(samples.map((s) => s.target))) {
            const parts = messages.filter((m) => m.key === target);
            const received = parts.flatMap((m) => sampleEnvelope.parse(JSON.parse(m.value as string)).samples);
            const expected = samples
              .filter((s) => s.target === target)
              .map((s) => ({ ...s, value: s.value === 0 ? 0 : s.value }));
            expect(received).toEqual(expected);
          }
        },
      ),
    );
  });

  it('gives a sample too large for any message one of its own, for the producer to refuse', () => {
    const big = {
      schemaVersion: 1 as const,
      target: 'a/x',
      metric: 'rps',
      value: 1,
      timestamp: 1,
      labels: { v: 'x'.repeat(600) },
    };
    const small = { ...big, labels: undefined };
    const messages = toKafkaMessages(envelopesByTarget([small, big, small]), 500);
    const parts = messages.map((m) => sampleEnvelope.parse(JSON.parse(m.value as string)).samples);
    expect(parts.map((samples) => samples.length)).toEqual([1, 1, 1]);
    expect(Buffer.byteLength(messages[1]!.value as string)).toBeGreaterThan(500);
  });
});

import { type MetricSample, sampleEnvelope } from '@surge/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
        const messages = toKafkaMessages(envelopesByTarget(samples));
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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleEnvelope } from './metric-sample.schema';
import { fastSampleEnvelope } from './sample-envelope.fast';

/** Field values near each edge the schema draws, and of every JSON type, so mutations reach each check. */
const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.constant([]),
  fc.constant({}),
);
const targetValue = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constant(''),
  fc.constant('t'.repeat(253)),
  fc.constant('t'.repeat(254)),
  anyJson,
);
const metricValue = fc.oneof(
  fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,10}$/),
  fc.constantFrom('', '9lives', 'http-p95', 'a b', 'é'),
  anyJson,
);
const numberValue = fc.oneof(fc.double(), fc.integer(), fc.constant(-0), anyJson);
const timestampValue = fc.oneof(
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER + 2, 2 ** 60),
  fc.constantFrom('2026-01-01T00:00:00Z', '2026-01-01T00:00:00+02:00', 'yesterday'),
  anyJson,
);
const labelsValue = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), anyJson, { maxKeys: 3 }),
  fc.constant(JSON.parse('{"__proto__":"x"}') as unknown),
  anyJson,
);

/** Edge values per field: one replaces a field of a well-formed envelope, so each check meets its edges. */
const sampleEdges: Record<string, fc.Arbitrary<unknown>> = {
  schemaVersion: fc.oneof(fc.constant(1), fc.constant(2), anyJson),
  target: targetValue,
  metric: metricValue,
  value: numberValue,
  timestamp: timestampValue,
  labels: labelsValue,
  extra: anyJson,
};
const envelopeEdges: Record<string, fc.Arbitrary<unknown>> = {
  schemaVersion: fc.oneof(fc.constant(1), fc.constant(2), anyJson),
  target: targetValue,
  samples: fc.oneof(fc.constant([]), anyJson),
  extra: anyJson,
};

/** A field set to an edge value, or taken out. */
function mutated(record: Record<string, unknown>, edges: Record<string, fc.Arbitrary<unknown>>) {
  return fc.constantFrom(...Object.keys(edges)).chain((field) =>
    fc.oneof(
      edges[field]!.map((value) => ({ ...record, [field]: value })),
      fc.constant(Object.fromEntries(Object.entries(record).filter(([key]) => key !== field))),
    ),
  );
}

const valid = fc.record({
  target: fc.string({ minLength: 1, maxLength: 40 }),
  samples: fc.array(
    fc.record(
      {
        schemaVersion: fc.constant(1),
        target: fc.string({ minLength: 1, maxLength: 40 }),
        metric: fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/),
        value: fc.double({ noNaN: true, noDefaultInfinity: true }),
        timestamp: fc.integer({ min: 0, max: 4_102_444_800_000 }),
        labels: fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
      },
      { requiredKeys: ['target', 'metric', 'value', 'timestamp'] },
    ),
    { minLength: 1, maxLength: 5 },
  ),
});

/** A well-formed envelope with one field of the envelope, or of one of its samples, at an edge. */
const envelope = valid.chain(({ target, samples }) => {
  const whole = { schemaVersion: 1, target, samples };
  return fc.oneof(
    mutated(whole, envelopeEdges),
    fc.nat({ max: samples.length - 1 }).chain((index) =>
      mutated(samples[index]!, sampleEdges).map((sample) => ({
        ...whole,
        samples: samples.map((s, i) => (i === index ? sample : s)),
      })),
    ),
  );
});

describe('fastSampleEnvelope', () => {
  it('accepts only what the schema accepts, and returns exactly what the schema returns', () => {
    let taken = 0;
    let left = 0;
    fc.assert(
      fc.property(envelope, (input) => {
        // Through JSON, as the consumer sees it: the fast path only ever meets JSON.parse's output.
        const json = JSON.parse(JSON.stringify(input)) as unknown;
        const fast = fastSampleEnvelope(json);
        if (fast === undefined) {
          left += 1;
          return;
        }
        taken += 1;
        const schema = sampleEnvelope.safeParse(json);
        expect(schema.success).toBe(true);
        expect(fast).toStrictEqual(schema.data);
      }),
      { numRuns: 5000 },
    );
    // Both ways were walked often: a property that never reached the fast path would prove nothing.
    expect(Math.min(taken, left)).toBeGreaterThan(500);
  });

  it('takes every well-formed envelope of numeric timestamps itself, without the schema', () => {
    fc.assert(
      fc.property(valid, (input) => {
        const json = JSON.parse(JSON.stringify({ schemaVersion: 1, ...input })) as unknown;
        const fast = fastSampleEnvelope(json);
        expect(fast).toBeDefined();
        expect(fast).toStrictEqual(sampleEnvelope.parse(json));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves to the schema what it would reshape or refuse', () => {
    const base = { schemaVersion: 1, target: 'a', samples: [{ target: 'a', metric: 'm', value: 1, timestamp: 5 }] };
    const variants: unknown[] = [
      { ...base, samples: [{ ...base.samples[0], timestamp: '2026-01-01T00:00:00Z' }] },
      { ...base, samples: [{ ...base.samples[0], labels: JSON.parse('{"__proto__":"x"}') as unknown }] },
      { ...base, samples: [] },
      { ...base, schemaVersion: 2 },
      { ...base, samples: [{ ...base.samples[0], metric: '9m' }] },
      // Not from JSON, which has no infinities, but the function takes any value.
      { ...base, samples: [{ ...base.samples[0], value: Infinity }] },
    ];
    for (const variant of variants) expect(fastSampleEnvelope(variant)).toBeUndefined();
    expect(fastSampleEnvelope(base)).toStrictEqual(sampleEnvelope.parse(base));
  });
});

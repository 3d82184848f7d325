import { isReservedMetric, metricSample } from '@surge/contracts';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { MAX_LISTED_ISSUES, rejectionReason, SampleBatchValidator } from './sample-batch.validator';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const validator = new SampleBatchValidator(5 * 60_000);
const good = { target: 'shop/api', metric: 'http_requests_total', value: 1.5, timestamp: NOW - 1000 };

describe('SampleBatchValidator', () => {
  it('accepts a valid batch and normalises ISO timestamps to epoch ms', () => {
    const result = validator.validate(
      { samples: [good, { ...good, timestamp: '2025-12-31T23:59:00Z', labels: { pod: 'a' } }] },
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      samples: [
        { schemaVersion: 1, ...good },
        { schemaVersion: 1, ...good, timestamp: NOW - 60_000, labels: { pod: 'a' } },
      ],
    });
  });

  it.each([
    ['missing target', { ...good, target: undefined }, 'samples.0.target'],
    ['empty target', { ...good, target: '' }, 'samples.0.target'],
    ['NaN string value', { ...good, value: 'NaN' }, 'samples.0.value'],
    ['numeric string value', { ...good, value: '12' }, 'samples.0.value'],
    ['null value', { ...good, value: null }, 'samples.0.value'],
    ['timestamp 6 minutes ahead', { ...good, timestamp: NOW + 6 * 60_000 }, 'samples.0.timestamp'],
    ['ISO timestamp 6 minutes ahead', { ...good, timestamp: '2026-01-01T00:06:00Z' }, 'samples.0.timestamp'],
    ['unparseable timestamp', { ...good, timestamp: 'yesterday' }, 'samples.0.timestamp'],
    ['metric name with a dash', { ...good, metric: 'http-requests' }, 'samples.0.metric'],
    ['metric name starting with a digit', { ...good, metric: '9lives' }, 'samples.0.metric'],
    ['non-string label', { ...good, labels: { pod: 3 } }, 'samples.0.labels.pod'],
  ])('rejects %s at its path', (_name, sample, path) => {
    const result = validator.validate({ samples: [good, sample] }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual([path.replace('samples.0', 'samples.1')]);
    expect(result.invalidSamples).toBe(1);
  });

  it.each(['replicas', 'default_pool_size', 'maxmemory', 'maxActive'])(
    "refuses the reserved setting name %s at the sample's metric, naming it",
    (metric) => {
      const result = validator.validate({ samples: [good, good, good, { ...good, metric }] }, NOW);
      expect(result).toEqual({
        ok: false,
        issues: [
          { path: 'samples.3.metric', message: expect.stringContaining(`"${metric}" is a reserved setting name`) },
        ],
        invalidSamples: 1,
      });
      if (!result.ok) expect(rejectionReason(result.issues[0]!)).toBe('reserved_metric');
    },
  );

  it('lists every bad field of every sample', () => {
    const samples = [{ value: Infinity }, good, { ...good, metric: 'a b', value: 'x', timestamp: NOW + 3_600_000 }];
    const result = validator.validate({ samples }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path).sort()).toEqual(
      [
        'samples.0.metric',
        'samples.0.target',
        'samples.0.timestamp',
        'samples.0.value',
        'samples.2.metric',
        'samples.2.timestamp',
        'samples.2.value',
      ].sort(),
    );
    expect(result.invalidSamples).toBe(2);
    expect(rejectionReason(result.issues[0]!)).toMatch(/^invalid_/);
  });

  it('stops checking a broken batch once the issue list is full, so its cost is bounded by the list', () => {
    // Each broken sample costs a zod failure; checking all 10,000 of `{"samples":[{},…]}` held the loop for seconds.
    const zod = vi.spyOn(metricSample, 'safeParse');
    try {
      const result = validator.validate({ samples: [good, ...Array.from({ length: 9999 }, () => ({}))] }, NOW);
      expect(result).toMatchObject({ ok: false, invalidSamples: 25, uncheckedFrom: 26 });
      if (result.ok) return;
      expect(result.issues).toHaveLength(MAX_LISTED_ISSUES);
      expect(result.issues.at(-1)!.path).toMatch(/^samples\.25\./);
      expect(zod.mock.calls.length).toBeLessThanOrEqual(MAX_LISTED_ISSUES);
    } finally {
      zod.mockRestore();
    }
  });

  it('checks the whole batch when its issues fit in the list', () => {
    const result = validator.validate({ samples: [...Array.from({ length: 24 }, () => ({})), good] }, NOW);
    expect(result).toEqual({ ok: false, issues: expect.any(Array), invalidSamples: 24 });
    if (!result.ok) expect(result.issues).toHaveLength(96);
  });

  it.each([[null], [[]], [{}], [{ samples: [] }], [{ samples: 'x' }]])('rejects a malformed body %j', (body) => {
    expect(validator.validate(body, NOW)).toEqual({
      ok: false,
      issues: [{ path: 'samples', message: expect.any(String) }],
      invalidSamples: 0,
    });
  });

  it('agrees with the metricSample contract on generated samples', () => {
    const anyValue = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.string(),
      fc.constant(null),
      fc.constant(undefined),
      fc.boolean(),
    );
    const sample = fc.record(
      {
        schemaVersion: fc.oneof(fc.constant(1), fc.constant(2), fc.constant(undefined)),
        target: fc.oneof(fc.string({ maxLength: 5 }), fc.string({ minLength: 250, maxLength: 256 }), anyValue),
        metric: fc.oneof(fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,8}$/), fc.string({ maxLength: 6 }), anyValue),
        value: fc.oneof(fc.double(), anyValue),
        timestamp: fc.oneof(
          fc.integer({ min: -10, max: NOW }),
          fc.double({ min: 0, max: NOW }),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          anyValue,
        ),
        labels: fc.oneof(
          fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 })),
          fc.dictionary(fc.string({ maxLength: 3 }), anyValue),
          fc.array(fc.string()),
          anyValue,
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(sample, (raw) => {
        const contract = metricSample.safeParse(raw);
        const ours = new SampleBatchValidator(Number.MAX_SAFE_INTEGER).validate({ samples: [raw] }, 0);
        // The contract admits any well-formed name; ingest also refuses the reserved ones.
        const reserved =
          typeof (raw as { metric?: unknown }).metric === 'string' && isReservedMetric(raw.metric as string);
        expect(ours.ok).toBe(contract.success && !reserved);
        if (ours.ok && contract.success) expect(ours.samples[0]).toEqual(contract.data);
      }),
      { numRuns: 3000 },
    );
  });
});

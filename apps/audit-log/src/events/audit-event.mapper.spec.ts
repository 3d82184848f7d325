import { DEFAULT_TOPICS } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { alertFixture, explanationFixture } from '../testing/audit-fixtures';
import { toAuditRow } from './audit-event.mapper';

const ref = (topic: string) => ({ topic, partition: 2, offset: '41', timestamp: Date.parse('2026-11-23T10:00:00Z') });
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const decision = {
  schemaVersion: 1,
  decisionId: 'dec-00000001',
  target: { kind: 'deployment', id: 'shop/web' },
  setting: 'replicas',
  from: 3,
  to: 6,
  direction: 'up',
  severity: 'info',
  dryRun: false,
  policy: 'web-cpu',
  policyVersion: 'v1',
  eventTime: 1,
  explanation: { summary: 's', trigger: { kind: 'metric', name: 'cpu' }, final: 6, winner: 'cpu' },
};

describe('toAuditRow', () => {
  it.each([
    {
      topic: DEFAULT_TOPICS.decisions,
      value: decision,
      expected: {
        eventType: 'decision',
        targetId: 'shop/web',
        decisionId: 'dec-00000001',
        status: 'decided',
        policy: 'web-cpu',
      },
    },
    {
      topic: DEFAULT_TOPICS.actions,
      value: {
        schemaVersion: 1,
        decisionId: 'dec-00000001',
        target: { kind: 'deployment', id: 'shop/web' },
        setting: 'replicas',
        status: 'applied',
        before: 3,
        after: 6,
        durationMs: 12,
        error: null,
        executor: 'kubernetes',
        time: 2,
      },
      expected: { eventType: 'action', targetKind: 'deployment', status: 'applied' },
    },
    {
      topic: DEFAULT_TOPICS.queueEvents,
      value: { schemaVersion: 1, room: 'sale', type: 'admissions', time: 3, waiting: 10 },
      expected: { eventType: 'queue.admissions', targetId: 'sale', targetKind: 'queue-room' },
    },
    // Version 2 of each: the status and the type version 1 did not have.
    {
      topic: DEFAULT_TOPICS.actions,
      value: {
        schemaVersion: 2,
        decisionId: 'dec-00000002',
        target: { kind: 'deployment', id: 'shop/web' },
        setting: 'replicas',
        status: 'conflict',
        before: 9,
        after: null,
        durationMs: 3,
        error: 'replicas reads 9',
        executor: 'kubernetes',
        time: 5,
      },
      expected: { eventType: 'action', status: 'conflict' },
    },
    {
      topic: DEFAULT_TOPICS.queueEvents,
      value: {
        schemaVersion: 2,
        room: 'sale',
        type: 'configured',
        time: 6,
        source: 'decision',
        settings: ['maxActive'],
      },
      expected: { eventType: 'queue.configured', targetId: 'sale' },
    },
    {
      topic: DEFAULT_TOPICS.control,
      value: { schemaVersion: 1, type: 'pause', policy: 'web-cpu', time: 4 },
      expected: { eventType: 'control.pause', policy: 'web-cpu', status: 'pause' },
    },
    {
      topic: DEFAULT_TOPICS.alerts,
      value: alertFixture('a-00000001', 'shop/web', 'resolved'),
      expected: { eventType: 'alert', targetId: 'shop/web', status: 'resolved', policy: 'checkout-cpu' },
    },
    {
      topic: DEFAULT_TOPICS.explanations,
      value: explanationFixture('e-00000001', 'shop/web'),
      expected: { eventType: 'explanation', targetId: 'shop/web', status: 'at-max', decisionId: null },
    },
  ])(
    "classifies a version-$value.schemaVersion record of $topic (an older release's too)",
    ({ topic, value, expected }) => {
      const row = toAuditRow(DEFAULT_TOPICS, ref(topic), json(value));
      expect(row).toMatchObject({ topic, partition: 2, kafkaOffset: '41', ...expected });
      expect(row.recordTime.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    },
  );

  it('stores a record that is not JSON as invalid instead of throwing', () => {
    const row = toAuditRow(DEFAULT_TOPICS, ref(DEFAULT_TOPICS.decisions), Buffer.from('{oops'));
    expect(row).toMatchObject({ eventType: 'invalid', payload: { reason: 'not JSON', content: '{oops' } });
  });

  it('stores an empty value (a tombstone reaches it as zero bytes) as invalid', () => {
    const row = toAuditRow(DEFAULT_TOPICS, ref(DEFAULT_TOPICS.deadLetter), Buffer.alloc(0));
    expect(row).toMatchObject({ eventType: 'invalid', payload: { reason: 'empty value (a tombstone or zero bytes)' } });
  });

  it('stores a contract violation as invalid with the reason', () => {
    const row = toAuditRow(DEFAULT_TOPICS, ref(DEFAULT_TOPICS.actions), json({ schemaVersion: 1 }));
    expect(row.eventType).toBe('invalid');
    expect((row.payload as { reason: string }).reason).toContain('decisionId');
  });
});

describe('toAuditRow of deeply nested values', () => {
  // Before the fix the row held the parsed value: JSON.stringify overflowed in the writer, a RangeError the consumer
  // took for an outage, so the partition was retried forever (found by the Kafka fuzzer, tools/fuzz).
  it.each([
    ['arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['objects', `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`],
  ])('stores 100,000-level %s as an invalid row whose payload serializes', (_kind, text) => {
    const row = toAuditRow(DEFAULT_TOPICS, ref(DEFAULT_TOPICS.decisions), Buffer.from(text));
    expect(row.eventType).toBe('invalid');
    expect((row.payload as { reason: string }).reason).toBe('nested deeper than 64 levels');
    expect(() => JSON.stringify(row.payload)).not.toThrow();
  });

  it('keeps a value nested within the limit as it is', () => {
    const nested = { ...decision, explanation: { ...decision.explanation, extra: [[[[1]]]] } };
    const row = toAuditRow(DEFAULT_TOPICS, ref(DEFAULT_TOPICS.decisions), json(nested));
    expect(row.eventType).toBe('decision');
  });

  it.each([
    [64, 'decision'],
    [65, 'invalid'],
  ])('a decision whose payload nests %i levels deep is stored as %s', (levels, eventType) => {
    // The decision object is level 1 and its explanation level 2: `extra` brings the rest.
    const extra = JSON.parse(`${'['.repeat(levels - 2)}${']'.repeat(levels - 2)}`) as unknown;
    const nested = { ...decision, explanation: { ...decision.explanation, extra } };
    const row = toAuditRow(DEFAULT_TOPICS, ref(DEFAULT_TOPICS.decisions), json(nested));
    expect(row.eventType).toBe(eventType);
  });
});

describe('toAuditRow of text PostgreSQL cannot store', () => {
  const deadLetter = {
    schemaVersion: 1,
    reason: 'invalid-json',
    error: 'Unexpected token \u0000, "\u0000\u0000" is not valid JSON',
    consumerGroup: 'surge-rules-engine',
    source: { topic: DEFAULT_TOPICS.samples, partition: 0, offset: '7' },
    key: 'shop/\u0000web',
    valueBase64: Buffer.from([0, 0]).toString('base64'),
    attempts: 1,
    time: 5,
  };

  it('keeps a dead letter holding NUL, each stored as the text \\u0000, with its original bytes', () => {
    const row = toAuditRow(DEFAULT_TOPICS, ref(DEFAULT_TOPICS.deadLetter), json(deadLetter));
    expect(row).toMatchObject({ eventType: 'deadletter', targetId: 'shop/\\u0000web', status: 'invalid-json' });
    expect(row.payload).toMatchObject({ error: 'Unexpected token \\u0000, "\\u0000\\u0000" is not valid JSON' });
    expect((row.payload as { valueBase64: string }).valueBase64).toBe('AAA=');
    expect(JSON.stringify(row.payload)).not.toMatch(/(?<!\\)\\u0000/);
  });

  it('keeps a decision with a lone surrogate and a NUL, and a record of raw NUL bytes as invalid', () => {
    const text = JSON.stringify({
      ...decision,
      policy: 'web\ud800',
      explanation: { ...decision.explanation, summary: 'a\u0000b' },
    });
    const row = toAuditRow(DEFAULT_TOPICS, ref(DEFAULT_TOPICS.decisions), Buffer.from(text));
    expect(row).toMatchObject({ eventType: 'decision', policy: 'web\ufffd' });
    expect(row.payload).toMatchObject({ policy: 'web\ufffd', explanation: { summary: 'a\\u0000b' } });
    const bytes = toAuditRow(DEFAULT_TOPICS, ref(DEFAULT_TOPICS.decisions), Buffer.from([0, 0, 0, 0]));
    expect(bytes).toMatchObject({ eventType: 'invalid', payload: { content: '\\u0000'.repeat(4) } });
    const keyed = toAuditRow(DEFAULT_TOPICS, ref('other.topic'), Buffer.from('{"k\\u0000":1}'));
    expect(keyed.payload).toEqual({ 'k\\u0000': 1 });
  });

  it('keeps text that only looks like an escape, and __proto__ keys, as they are', () => {
    const text = '{"__proto__":{"a":"\\\\u0000 is text here"}}';
    const row = toAuditRow(DEFAULT_TOPICS, ref('other.topic'), Buffer.from(text));
    expect(JSON.stringify(row.payload)).toBe(text);
  });
});

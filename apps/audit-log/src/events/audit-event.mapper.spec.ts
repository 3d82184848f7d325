import { DEFAULT_TOPICS } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
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
    {
      topic: DEFAULT_TOPICS.control,
      value: { schemaVersion: 1, type: 'pause', policy: 'web-cpu', time: 4 },
      expected: { eventType: 'control.pause', policy: 'web-cpu', status: 'pause' },
    },
  ])('classifies a record of $topic', ({ topic, value, expected }) => {
    const row = toAuditRow(DEFAULT_TOPICS, ref(topic), json(value));
    expect(row).toMatchObject({ topic, partition: 2, kafkaOffset: '41', ...expected });
    expect(row.recordTime.toISOString()).toBe('2026-11-23T10:00:00.000Z');
  });

  it('stores a record that is not JSON as invalid instead of throwing', () => {
    const row = toAuditRow(DEFAULT_TOPICS, ref(DEFAULT_TOPICS.decisions), Buffer.from('{oops'));
    expect(row).toMatchObject({ eventType: 'invalid', payload: { reason: 'not JSON', content: '{oops' } });
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

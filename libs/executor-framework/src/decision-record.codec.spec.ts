import { describe, expect, it } from 'vitest';
import { DECISION_RECORD_SCHEMA_VERSION, decodeDecisionRecord, encodeDecisionRecord } from './decision-record.codec';

describe('decision record codec', () => {
  it('writes the version and reads back what it wrote', () => {
    const claimed = { phase: 'claimed', claimedAt: 5 } as const;
    const raw = encodeDecisionRecord(claimed);
    expect(JSON.parse(raw)).toMatchObject({ schemaVersion: DECISION_RECORD_SCHEMA_VERSION });
    expect(decodeDecisionRecord(raw)).toEqual({ record: claimed });
  });

  it('migrates a record written before records carried a version', () => {
    const raw = JSON.stringify({ phase: 'published', resultJson: '{"status":"applied"}' });
    expect(decodeDecisionRecord(raw)).toEqual({ record: { phase: 'published', resultJson: '{"status":"applied"}' } });
  });

  it.each([
    ['a newer version', JSON.stringify({ schemaVersion: 2, phase: 'published', resultJson: '{}' }), /schemaVersion 2/],
    ['an unknown phase', JSON.stringify({ schemaVersion: 1, phase: 'handled' }), /no valid phase/],
    ['a claim without its time', JSON.stringify({ phase: 'claimed' }), /no valid phase/],
    ['a value that is not JSON', '{oops', /not JSON/],
    ['a value that is not an object', '[1]', /not an object/],
  ])('refuses %s with the reason, never guessing', (_name, raw, reason) => {
    const decoded = decodeDecisionRecord(raw);
    expect(decoded.record).toBeUndefined();
    expect(decoded.unreadable).toMatch(reason);
  });
});

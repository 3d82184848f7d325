import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  actionResult,
  ContractViolation,
  controlEvent,
  deadLetterRecord,
  decode,
  DEFAULT_TOPICS,
  metricSample,
  queueEvent,
  resolveTopics,
  sampleEnvelope,
  scaleDecision,
} from './index';

const golden = (file: string) => JSON.parse(readFileSync(path.join(__dirname, '..', 'golden', file), 'utf8'));

const cases: [string, z.ZodType][] = [
  ['metric-sample.v1.json', metricSample],
  ['sample-envelope.v1.json', sampleEnvelope],
  ['scale-decision.v1.json', scaleDecision],
  ['action-result.v1.json', actionResult],
  ['queue-event.v1.json', queueEvent],
  ['control-event.v1.json', controlEvent],
  ['dead-letter.v1.json', deadLetterRecord],
];

describe('golden examples', () => {
  it.each(cases)('%s decodes with its schema and keeps schemaVersion 1', (file, schema) => {
    const decoded = decode(file, schema, golden(file)) as { schemaVersion: number };
    expect(decoded.schemaVersion).toBe(1);
  });

  it('normalises an ISO timestamp to epoch milliseconds', () => {
    const sample = decode('sample', metricSample, golden('metric-sample.v1.json'));
    expect(sample.timestamp).toBe(Date.parse('2026-11-20T18:00:00.000Z'));
  });

  it('rejects a future schema version', () => {
    expect(() => decode('decision', scaleDecision, { ...golden('scale-decision.v1.json'), schemaVersion: 2 })).toThrow(
      ContractViolation,
    );
  });
});

describe('field issues', () => {
  it('names every bad field by path', () => {
    try {
      decode('sample', metricSample, { metric: '9bad name', value: 'NaN', timestamp: 'yesterday' });
      expect.unreachable();
    } catch (error) {
      const paths = (error as ContractViolation).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['metric', 'target', 'timestamp', 'value']);
    }
  });

  it('refuses non-finite numbers', () => {
    expect(metricSample.safeParse({ target: 't', metric: 'm', value: Infinity, timestamp: 1 }).success).toBe(false);
  });
});

describe('topics', () => {
  it('defaults to the surge.* names and honours overrides', () => {
    expect(resolveTopics({})).toEqual(DEFAULT_TOPICS);
    expect(resolveTopics({ SURGE_TOPIC_DECISIONS: 'x.decisions' }).decisions).toBe('x.decisions');
  });
});

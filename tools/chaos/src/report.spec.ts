import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ExperimentResult } from './experiment-result';
import { chaosSection, writeReliability } from './report';
import { compareAccepted } from './sample-reader';

const result = (overrides: Partial<ExperimentResult>): ExperimentResult => ({
  experiment: 'x',
  accepted: 10,
  lost: 0,
  duplicated: 0,
  recoveredBySelf: true,
  timeToRecoverMs: 1500,
  notes: 'n',
  checks: { 'every 202 on the topic': true },
  ...overrides,
});

describe('the chaos report', () => {
  it('replaces only the Chaos section of RELIABILITY.md, keeping the prose around it', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'chaos-report-')), 'RELIABILITY.md');
    writeFileSync(file, '# Reliability\n\nintro\n\n## Chaos\n\nold table\n\n## Findings\n\nkept\n');
    writeReliability(file, chaosSection([result({ experiment: 'new' })], new Date(0), 'npm run chaos'));
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('intro');
    expect(text).not.toContain('old table');
    expect(text).toContain('| new | 10 | 0 | 0 | yes | 1.5 s | pass |');
    expect(text.indexOf('## Findings')).toBeGreaterThan(text.indexOf('| new |'));
    expect(text).toContain('kept');
  });

  it('marks a failed check, a loss and a service that did not recover as FAIL', () => {
    const section = chaosSection(
      [result({ experiment: 'bad', lost: 3, recoveredBySelf: false, timeToRecoverMs: null, checks: { c: false } })],
      new Date(0),
      'npm run chaos',
    );
    expect(section).toContain('| bad | 10 | 3 | 0 | **no** | not recovered | **FAIL** | **failed: c**; n |');
  });

  it('counts acknowledged values missing from the topic and values written twice', () => {
    const onTopic = new Map([
      [1, ['0:0']],
      [2, ['0:1', '0:5']],
    ]);
    expect(compareAccepted(new Set([1, 2, 3]), onTopic)).toEqual({
      lost: 1,
      duplicated: 1,
      examples: ['2 at 0:1 and 0:5'],
      missing: [3],
    });
  });
});

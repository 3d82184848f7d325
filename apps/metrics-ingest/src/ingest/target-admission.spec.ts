import { describe, expect, it } from 'vitest';
import type { IngestSource } from '../auth/ingest-credentials';
import { compileTargetPatterns } from '../auth/target-pattern';
import { TargetAdmission } from './target-admission';

const source = (name: string, ...patterns: string[]): IngestSource => ({
  name,
  mayWrite: compileTargetPatterns(patterns),
});

describe('TargetAdmission', () => {
  it('names every target outside the source patterns and admits nothing of that batch', () => {
    const admission = new TargetAdmission(10);
    expect(admission.admit(source('shop', 'demo/*'), ['demo/a', 'db/main', 'x/y'], 0)).toEqual({
      ok: false,
      reason: 'forbidden_target',
      targets: ['db/main', 'x/y'],
    });
  });

  it('admits up to the limit of distinct targets per minute per source, then 429 until the minute ends', () => {
    const admission = new TargetAdmission(3);
    const shop = source('shop', '**');
    expect(admission.admit(shop, ['a/1', 'a/2'], 1000).ok).toBe(true);
    expect(admission.admit(shop, ['a/1', 'a/2', 'a/3'], 2000).ok).toBe(true);
    // Targets already seen this minute cost nothing more.
    expect(admission.admit(shop, ['a/3', 'a/1'], 3000).ok).toBe(true);
    expect(admission.admit(shop, ['a/4'], 31_000)).toEqual({
      ok: false,
      reason: 'too_many_targets',
      limit: 3,
      retryAfterSeconds: 30,
    });
    // Another source has its own budget.
    expect(admission.admit(source('pool', '**'), ['a/4', 'a/5', 'a/6'], 31_000).ok).toBe(true);
    expect(admission.admit(shop, ['a/4'], 61_000).ok).toBe(true);
  });
});

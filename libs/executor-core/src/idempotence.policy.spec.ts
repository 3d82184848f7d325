import { describe, expect, it } from 'vitest';
import { idempotenceAction } from './idempotence.policy';

describe('idempotenceAction', () => {
  it.each([
    ['never seen', null, 'apply'],
    ['claimed then crashed mid-apply', { phase: 'claimed', claimedAt: 1 } as const, 'apply'],
    ['applied but result not published', { phase: 'done', resultJson: '{}' } as const, 'republish'],
    ['result published', { phase: 'published', resultJson: '{}' } as const, 'duplicate'],
  ])('%s -> %s', (_name, record, expected) => {
    expect(idempotenceAction(record)).toBe(expected);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeStaleness, supersededIds } from './staleness.policy';
import { aDecision } from './testing';

describe('judgeStaleness', () => {
  it.each([
    ['fresh, nothing newer', 1_000, null, { stale: false }],
    ['older than max age', 70_000, null, { stale: true, reason: 'decision is 70000 ms old, over the 60000 ms limit' }],
    ['superseded', 1_000, 1_000_500, { stale: true, reason: 'superseded by a decision with eventTime 1000500' }],
    ['same eventTime is not superseded', 1_000, 1_000_000, { stale: false }],
  ])('%s', (_name, ageMs, latest, expected) => {
    expect(judgeStaleness(aDecision({ eventTime: 1_000_000 }), 1_000_000 + ageMs, 60_000, latest)).toEqual(expected);
  });

  it('measures age from publication when known, so a replayed trace with old eventTimes is not stale', () => {
    const now = 50_000_000;
    expect(judgeStaleness(aDecision({ eventTime: 1_000 }), now, 60_000, null, now - 10)).toEqual({ stale: false });
    expect(judgeStaleness(aDecision({ eventTime: now }), now, 60_000, null, now - 90_000)).toMatchObject({
      stale: true,
    });
  });
});

describe('supersededIds', () => {
  it('keeps only the newest decision per target and setting', () => {
    const a = aDecision({ decisionId: 'a-000000', eventTime: 1 });
    const b = aDecision({ decisionId: 'b-000000', eventTime: 3 });
    const c = aDecision({ decisionId: 'c-000000', eventTime: 2 });
    const other = aDecision({ decisionId: 'o-000000', eventTime: 0, setting: 'cpu' });
    expect([...supersededIds([a, b, c, other])].sort()).toEqual(['a-000000', 'c-000000']);
  });

  it('never marks a redelivered copy of the newest decision as superseded', () => {
    const a = aDecision({ decisionId: 'a-000000', eventTime: 5 });
    expect(supersededIds([a, { ...a }]).size).toBe(0);
  });

  it('always keeps exactly one decision per key, the one with the largest eventTime', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('x', 'y'), fc.nat(100)), { minLength: 1, maxLength: 20 }),
        (items) => {
          const decisions = items.map(([setting, eventTime], i) =>
            aDecision({ decisionId: `d-${i}-0000000`, setting, eventTime }),
          );
          const dropped = supersededIds(decisions);
          for (const setting of ['x', 'y']) {
            const kept = decisions.filter((d) => d.setting === setting && !dropped.has(d.decisionId));
            const all = decisions.filter((d) => d.setting === setting);
            expect(kept.length).toBe(all.length ? 1 : 0);
            if (kept[0]) expect(kept[0].eventTime).toBe(Math.max(...all.map((d) => d.eventTime)));
          }
        },
      ),
    );
  });
});

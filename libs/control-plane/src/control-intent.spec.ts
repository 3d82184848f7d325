import { controlEvent, controlScopeOf, decode } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import {
  type ControlIntent,
  type ControlIntentEvent,
  expiringPauses,
  globalIntent,
  isExpired,
  NO_INTENT,
  type ScopeIntent,
  policyIntent,
  reduceControl,
  replayControl,
} from './control-intent';

let clock = 0;
/** Events in publication order unless a time is given. */
const ev = (type: ControlIntentEvent['type'], policy?: string, time = ++clock): ControlIntentEvent => ({
  type,
  policy,
  time,
});

/** The wishes alone, without the times they were expressed at. */
function wishes(intent: ControlIntent): unknown {
  const strip = ({ paused, dryRun }: ScopeIntent) =>
    Object.fromEntries(Object.entries({ paused, dryRun }).filter(([, value]) => value !== undefined));
  return {
    global: strip(intent.global),
    policies: Object.fromEntries(Object.entries(intent.policies).map(([name, scope]) => [name, strip(scope)])),
  };
}

describe('reduceControl', () => {
  it.each<[string, ControlIntentEvent[], ReturnType<typeof replayControl>]>([
    ['nothing said', [], { global: {}, policies: {} }],
    ['a global pause', [ev('pause')], { global: { paused: true }, policies: {} }],
    ['a pause then a resume', [ev('pause'), ev('resume')], { global: { paused: false }, policies: {} }],
    [
      'a global dry-run beside a pause',
      [ev('pause'), ev('dry-run-on')],
      { global: { paused: true, dryRun: true }, policies: {} },
    ],
    [
      'one policy paused and another in dry-run',
      [ev('pause', 'shop'), ev('dry-run-on', 'search'), ev('dry-run-off', 'search')],
      { global: {}, policies: { shop: { paused: true }, search: { dryRun: false } } },
    ],
    [
      'a policy pause does not touch the global one',
      [ev('pause'), ev('resume', 'shop')],
      { global: { paused: true }, policies: { shop: { paused: false } } },
    ],
    [
      'a policy file status sets no intent',
      [ev('pause', 'shop'), ev('policy-changed', 'shop'), ev('policy-invalid')],
      { global: {}, policies: { shop: { paused: true } } },
    ],
  ])('%s', (_name, events, expected) => {
    expect(wishes(replayControl(events))).toEqual(expected);
  });

  it('returns the same intent for an event that sets none, and never mutates the one it was given', () => {
    const paused = reduceControl(NO_INTENT, ev('pause', 'shop'));
    expect(reduceControl(paused, ev('policy-changed', 'shop'))).toBe(paused);
    reduceControl(paused, ev('resume', 'shop'));
    expect(policyIntent(paused, 'shop', 0)).toMatchObject({ paused: true });
    expect(NO_INTENT).toEqual({ global: {}, policies: {} });
  });

  it('gives the same intent from the latest event of each scope as from every event: what compaction keeps', () => {
    const events = [
      ev('pause'),
      ev('dry-run-on', 'shop'),
      ev('dry-run-on'),
      ev('pause', 'shop'),
      ev('policy-changed', 'shop'),
      ev('dry-run-off', 'shop'),
      ev('resume', 'search'),
    ];
    const latestPerScope = new Map(events.map((event) => [controlScopeOf(event), event]));
    expect(replayControl(latestPerScope.values())).toEqual(replayControl(events));
  });

  it('lets the latest event of a scope win by its time, whatever order the partitions are read in', () => {
    // A v1 resume of an older release (keyed `global`) and a v2 pause (keyed `pause:global`) sit on two
    // partitions; read concurrently, the older one may arrive last.
    const intent = replayControl([ev('pause', undefined, 200), ev('resume', undefined, 100)]);
    expect(intent.global.paused).toBe(true);
    const policy = replayControl([
      ev('dry-run-on', 'shop', 300),
      ev('dry-run-off', 'shop', 250),
      ev('pause', 'shop', 260),
    ]);
    expect(wishes(policy)).toEqual({ global: {}, policies: { shop: { dryRun: true, paused: true } } });
  });

  it('reads a policy nobody spoke about as no intent', () => {
    expect(policyIntent(NO_INTENT, 'shop', 0)).toEqual({});
  });
});

describe('a pause with an expiry', () => {
  const decoded = (raw: object) => decode('control', controlEvent, raw);
  const v1 = { schemaVersion: 1, type: 'pause', policy: 'shop', time: 1000 };
  const v2 = { ...v1, schemaVersion: 2, scope: 'pause:policy:shop' };
  const v3 = { ...v2, schemaVersion: 3, until: 5000 };

  it.each([
    ['v1', v1, undefined],
    ['v2', v2, undefined],
    ['v3', v3, 5000],
  ])('reads a %s pause and keeps its expiry in the intent', (_version, raw, until) => {
    const intent = reduceControl(NO_INTENT, decoded(raw));
    expect(intent.policies.shop).toMatchObject({ paused: true, pausedAt: 1000, pausedUntil: until });
  });

  it('holds before its expiry and reads as a resume at its expiry after it, without changing the intent', () => {
    const intent = reduceControl(NO_INTENT, decoded(v3));
    expect(policyIntent(intent, 'shop', 4999)).toMatchObject({ paused: true, pausedAt: 1000 });
    expect(policyIntent(intent, 'shop', 5000)).toMatchObject({ paused: false, pausedAt: 5000 });
    expect(isExpired(intent.policies.shop!, 5000)).toBe(true);
    expect(intent.policies.shop).toMatchObject({ paused: true, pausedUntil: 5000 });
  });

  it('never expires a pause without one, nor the global pause by a policy expiry', () => {
    const intent = replayControl([decoded({ ...v2, policy: undefined, scope: 'pause:global' }), decoded(v3)]);
    expect(globalIntent(intent, Number.MAX_SAFE_INTEGER).paused).toBe(true);
    expect(policyIntent(intent, 'shop', 6000).paused).toBe(false);
  });

  it('forgets the expiry on a resume, and lists only the pauses that carry one', () => {
    const paused = reduceControl(NO_INTENT, decoded(v3));
    expect(expiringPauses(paused)).toEqual([{ policy: 'shop', pausedAt: 1000, until: 5000 }]);
    const resumed = reduceControl(paused, ev('resume', 'shop', 2000));
    expect(resumed.policies.shop).toMatchObject({ paused: false, pausedUntil: undefined });
    expect(expiringPauses(resumed)).toEqual([]);
  });
});

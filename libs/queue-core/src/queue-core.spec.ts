import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  aheadOf,
  checkClaims,
  admissionClaims,
  decodeTicketId,
  encodeTicketId,
  estimateWait,
  fenwickQueryPath,
  fenwickUpdatePath,
  mergeRoomConfig,
  patchForDecision,
  roomConfigPatchSchema,
  visitorBucket,
  VISITOR_BUCKETS,
} from './index';

describe('room config', () => {
  it('applies defaults and patches', () => {
    const config = mergeRoomConfig(null, { maxActive: 5 });
    expect(config).toMatchObject({ mode: 'queue', maxActive: 5, heartbeatTimeoutSeconds: 60, opensAt: null });
    expect(mergeRoomConfig(config, { mode: 'closed' }).maxActive).toBe(5);
  });
  it('a patch carries only the settings it names, so a PUT of one setting leaves the others', () => {
    expect(roomConfigPatchSchema.parse({ maxActive: 5 })).toEqual({ maxActive: 5 });
    const room = mergeRoomConfig(null, { maxActive: 10, admitPerMinute: 120, sessionSeconds: 60 });
    expect(mergeRoomConfig(room, roomConfigPatchSchema.parse({ maxActive: 5 }))).toEqual({ ...room, maxActive: 5 });
  });
  it('rejects bad fields with their paths', () => {
    const result = roomConfigPatchSchema.safeParse({ maxActive: -1, mode: 'open', extra: 1 });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.') || i.code);
    expect(paths).toEqual(expect.arrayContaining(['maxActive', 'mode']));
  });
});

describe('eta', () => {
  it('is ahead over the slower of admission rate and slot turnover', () => {
    expect(
      estimateWait({ ahead: 120, admitPerMinute: 60, observedPerSecond: null, maxActive: 1000, sessionSeconds: 60 })
        ?.etaSeconds,
    ).toBe(120);
    expect(
      estimateWait({ ahead: 100, admitPerMinute: 6000, observedPerSecond: null, maxActive: 10, sessionSeconds: 100 })
        ?.etaSeconds,
    ).toBe(1000);
    expect(
      estimateWait({ ahead: 10, admitPerMinute: 0, observedPerSecond: null, maxActive: 10, sessionSeconds: 100 }),
    ).toBeNull();
  });
  it('gives a range around the estimate', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 1, max: 100_000 }), (ahead, perMinute) => {
        const eta = estimateWait({
          ahead,
          admitPerMinute: perMinute,
          observedPerSecond: null,
          maxActive: 1e6,
          sessionSeconds: 600,
        })!;
        return eta.lowSeconds <= eta.etaSeconds && eta.etaSeconds <= eta.highSeconds;
      }),
    );
  });
});

describe('fenwick paths', () => {
  it('a query sums exactly the updates at or below its bucket', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5000), { maxLength: 200 }), fc.nat(5000), (leaves, probe) => {
        const tree = new Map<number, number>();
        for (const bucket of leaves)
          for (const i of fenwickUpdatePath(bucket, 8192)) tree.set(i, (tree.get(i) ?? 0) + 1);
        const sum = fenwickQueryPath(probe).reduce((acc, i) => acc + (tree.get(i) ?? 0), 0);
        return sum === leaves.filter((b) => b <= probe).length;
      }),
    );
  });
  it('counts full buckets between head and own bucket', () => {
    expect(aheadOf({ headPartial: 3, ownPartial: 4, bucketsBetween: 2, leftBetween: 10 })).toBe(3 + 4 + 256 - 10);
  });
});

describe('ticket ids and visitor buckets', () => {
  it('round-trips the visitor id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._:-]{1,48}$/), (visitorId) => {
        const decoded = decodeTicketId(encodeTicketId(visitorId, 'abcdefghijklmnop'));
        return decoded?.visitorId === visitorId && decoded.mac === 'abcdefghijklmnop';
      }),
    );
    expect(decodeTicketId('nope')).toBeNull();
  });
  it('spreads visitors within range', () => {
    for (const id of ['a', 'visitor-1', 'x'.repeat(48)]) expect(visitorBucket(id)).toBeLessThan(VISITOR_BUCKETS);
  });
});

describe('token claims', () => {
  const claims = admissionClaims({
    audience: 'https://shop.example',
    jti: 'admission-1',
    ttlSeconds: 300,
    room: 'r1',
    visitor: 'v',
    ticket: 't',
    nowMs: 1_000_000,
    sessionEndsAtMs: 1_600_000,
  });
  const aud = 'https://shop.example';
  it('expire after their short lifetime, never after the session', () => {
    expect(claims.exp).toBe(1300);
    expect(
      admissionClaims({ ...claims, audience: aud, ttlSeconds: 300, nowMs: 1_000_000, sessionEndsAtMs: 1_100_000 }).exp,
    ).toBe(1100);
  });
  it('reject expired, other-room, other-audience and malformed claims with a reason', () => {
    expect(checkClaims(claims, 'r1', aud, 1_000_000)).toMatchObject({ valid: true });
    expect(checkClaims(claims, 'r2', aud, 1_000_000)).toMatchObject({ valid: false, reason: 'wrong_room' });
    expect(checkClaims(claims, 'r1', 'https://other.example', 1_000_000)).toMatchObject({
      valid: false,
      reason: 'wrong_audience',
    });
    expect(checkClaims(claims, 'r1', aud, 1_300_000)).toMatchObject({ valid: false, reason: 'expired' });
    expect(checkClaims({ room: 'r1' }, 'r1', aud, 0)).toMatchObject({ valid: false, reason: 'bad_claims' });
    const { aud: _aud, ...withoutAudience } = claims;
    expect(checkClaims(withoutAudience, 'r1', aud, 1_000_000)).toMatchObject({ valid: false, reason: 'bad_claims' });
  });
});

describe('decision patches', () => {
  const config = mergeRoomConfig(null, { maxActive: 10, mode: 'queue' });
  it.each([
    ['maxActive', 50, { maxActive: 50 }, 10],
    ['admitPerMinute', 1200, { admitPerMinute: 1200 }, 600],
    ['mode', 2, { mode: 'passthrough' }, 1],
    ['mode', 0, { mode: 'closed' }, 1],
  ])('%s = %d', (setting, to, patch, before) => {
    expect(patchForDecision(config, setting, to)).toEqual({ ok: true, patch, before, after: to });
  });
  it.each([
    ['replicas', 3],
    ['mode', 7],
    ['maxActive', -1],
  ])('refuses %s = %d', (setting, to) => {
    expect(patchForDecision(config, setting, to).ok).toBe(false);
  });
});

describe('visitor bucket spread', () => {
  it('fills most buckets evenly even for sequential ids', () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 500_000; i++) {
      const bucket = visitorBucket(`v${i.toString(36).padStart(15, '0')}`);
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    // Poisson(3.8): about 97.8% of buckets are used; the fullest stays far below Redis' 128-entry listpack limit.
    expect(counts.size).toBeGreaterThan(0.95 * VISITOR_BUCKETS);
    expect([...counts.values()].reduce((a, b) => Math.max(a, b), 0)).toBeLessThan(30);
  });
});

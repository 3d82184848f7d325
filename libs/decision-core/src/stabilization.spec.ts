import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stabilize } from './stabilization';
import type { TimedRecommendation } from './state';
import { at, testPolicy } from './testing';

const policy = (up: number, down: number) =>
  testPolicy({
    behavior: { scaleUp: { stabilizationWindowSeconds: up }, scaleDown: { stabilizationWindowSeconds: down } },
  }).behavior;

// HPA: the recommendation is bounded above by the highest recommendation of the scale-down window and
// below by the lowest of the scale-up window; entries count when strictly newer than now - window.
describe('stabilization windows', () => {
  it.each([
    {
      name: 'scale-down held by a higher recent recommendation',
      up: 0,
      down: 300,
      history: [
        [100, 10],
        [200, 8],
      ],
      desired: 5,
      current: 10,
      want: 10,
    },
    {
      name: 'scale-down to the highest in the window',
      up: 0,
      down: 300,
      history: [
        [100, 6],
        [200, 7],
      ],
      desired: 5,
      current: 10,
      want: 7,
    },
    {
      name: 'scale-down once the window has passed',
      up: 0,
      down: 300,
      history: [[-1, 10]],
      desired: 5,
      current: 10,
      want: 5,
    },
    {
      name: 'an entry exactly at the cutoff is outside',
      up: 0,
      down: 300,
      history: [[0, 10]],
      desired: 5,
      current: 10,
      want: 5,
    },
    { name: 'default scale-up is immediate', up: 0, down: 300, history: [[250, 2]], desired: 9, current: 3, want: 9 },
    {
      name: 'scale-up window takes the lowest',
      up: 60,
      down: 300,
      history: [
        [250, 4],
        [280, 6],
      ],
      desired: 9,
      current: 3,
      want: 4,
    },
    {
      name: 'scale-up window with a lower recent entry keeps current',
      up: 60,
      down: 300,
      history: [[280, 2]],
      desired: 9,
      current: 3,
      want: 3,
    },
    { name: 'no window: the desired value', up: 0, down: 0, history: [[299, 50]], desired: 5, current: 10, want: 5 },
  ])('$name', ({ up, down, history, desired, current, want }) => {
    const recs = history.map(([seconds, value]) => ({ time: at(seconds!), value: value! }));
    const result = stabilize(recs, desired, current, at(300), policy(up, down));
    expect(result.value).toBe(want);
    expect(result.history.at(-1)).toEqual({ time: at(300), value: desired });
  });

  it('forgets entries older than both windows', () => {
    const result = stabilize(
      [
        { time: at(0), value: 9 },
        { time: at(250), value: 8 },
      ],
      5,
      5,
      at(300),
      policy(0, 60),
    );
    expect(result.history.map((r) => r.value)).toEqual([8, 5]);
  });

  it('keeps one entry per distinct value a window can still answer with', () => {
    const history = [10, 7, 7, 9, 8, 8].map((value, i) => ({ time: at(i * 10), value }));
    let kept: TimedRecommendation[] = [];
    for (const rec of history) kept = stabilize(kept, rec.value, 8, rec.time, policy(60, 300)).history;
    expect(kept).toEqual([
      { time: at(0), value: 10 },
      { time: at(20), value: 7 },
      { time: at(30), value: 9 },
      { time: at(50), value: 8 },
    ]);
  });

  // The compacted history must answer exactly as HPA's verbatim one: same value, same window minimum and maximum.
  it('answers every evaluation as the full history would', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 600 }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 90 }), desired: fc.integer({ min: 1, max: 12 }) }), {
          maxLength: 80,
        }),
        fc.integer({ min: 1, max: 12 }),
        (up, down, steps, current) => {
          const behavior = policy(up, down);
          const longest = Math.max(up, down) * 1000;
          let full: TimedRecommendation[] = [];
          let compact: TimedRecommendation[] = [];
          let now = at(0);
          for (const { gap, desired } of steps) {
            now += gap * 1000;
            const fromCompact = stabilize(compact, desired, current, now, behavior);
            const fromFull = stabilize(full, desired, current, now, behavior);
            expect([fromCompact.value, fromCompact.upRecommendation, fromCompact.downRecommendation]).toEqual([
              fromFull.value,
              fromFull.upRecommendation,
              fromFull.downRecommendation,
            ]);
            compact = fromCompact.history;
            full = [...full.filter((rec) => rec.time > now - longest), { time: now, value: desired }];
          }
        },
      ),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateExpression } from './expression';
import { parseDurationSeconds } from './duration';

const run = (source: string, values: Record<string, number>) =>
  evaluateExpression(compileExpression(source).ast, (m) => values[m]);

describe('safe expressions', () => {
  it.each([
    ['errors / requests > 0.05', { errors: 6, requests: 100 }, true],
    ['cpu > 70 && mem > 80', { cpu: 71, mem: 79 }, false],
    ['max(a, b) * 2 - abs(c)', { a: 1, b: 3, c: -2 }, 4],
    ['avg(a, b, c) >= 2', { a: 1, b: 2, c: 3 }, true],
    ['!(a < 1) ? 10 : 20', { a: 0 }, 20],
    ['a > 1 || b > 1', { a: 2 }, true],
  ])('%s', (source, values, want) => {
    expect(run(source, values)).toBe(want);
  });

  it('is unknown when a metric has no value, unless the other side decides', () => {
    expect(run('a > 1 && b > 1', { a: 2 })).toBeUndefined();
    expect(run('a > 1 && b > 1', { a: 0 })).toBe(false);
  });

  it('lists the metrics it reads', () => {
    expect(compileExpression('b + a * min(c, 1)').metrics).toEqual(['a', 'b', 'c']);
  });

  it.each(['constructor.constructor("x")()', 'a.b', 'eval("1")', '"text" > 1', 'a = 1', '[1, 2]', 'this'])(
    'rejects %s',
    (source) => {
      expect(() => compileExpression(source)).toThrow();
    },
  );
});

describe('durations', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['1h30m', 5400],
    ['500ms', 0.5],
    [45, 45],
  ] as const)('%s is %d s', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });
  it.each(['5 minutes', '', '10', '-1s'])('rejects %s', (input) =>
    expect(() => parseDurationSeconds(input)).toThrow(/30s, 5m, 1h/),
  );
});

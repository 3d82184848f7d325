import { describe, expect, it } from 'vitest';
import { scaleDownLimit, scaleUpLimit } from './scaling-policies';
import { at, testPolicy } from './testing';

type Rules = Record<string, unknown>;
const upRules = (rules: Rules = {}) => testPolicy({ behavior: { scaleUp: rules } }).behavior.scaleUp;
const downRules = (rules: Rules = {}) => testPolicy({ behavior: { scaleDown: rules } }).behavior.scaleDown;
const ev = (seconds: number, change: number) => ({ time: at(seconds), change });
const now = at(100);

// Expected limits follow HPA's calculateScale{Up,Down}Limit: period start = current - added + removed within the period.
describe('scale-up rate policies', () => {
  it.each([
    { name: 'defaults from 1: +4 pods beats doubling', rules: {}, current: 1, up: [], down: [], want: 5 },
    { name: 'defaults from 10: doubling beats +4', rules: {}, current: 10, up: [], down: [], want: 20 },
    {
      name: 'selectPolicy Min takes the smaller',
      rules: {
        selectPolicy: 'Min',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 15 },
          { type: 'Pods', value: 4, periodSeconds: 15 },
        ],
      },
      current: 10,
      up: [],
      down: [],
      want: 14,
    },
    { name: 'selectPolicy Disabled', rules: { selectPolicy: 'Disabled' }, current: 10, up: [], down: [], want: 10 },
    {
      name: 'Percent rounds up',
      rules: { policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      current: 3,
      up: [],
      down: [],
      want: 4,
    },
    {
      name: 'events inside the period count',
      rules: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] },
      current: 8,
      up: [ev(50, 4)],
      down: [],
      want: 8,
    },
    {
      name: 'events outside the period do not',
      rules: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] },
      current: 8,
      up: [ev(40, 4)],
      down: [],
      want: 12,
    },
    {
      name: 'an event exactly at the cutoff is outside',
      rules: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] },
      current: 8,
      up: [ev(40, 4)],
      down: [],
      want: 12,
    },
    {
      name: 'removals in the period give room back',
      rules: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
      current: 6,
      up: [],
      down: [ev(90, 2)],
      want: 10,
    },
    {
      name: 'each policy reads its own period',
      rules: {
        policies: [
          { type: 'Pods', value: 2, periodSeconds: 30 },
          { type: 'Pods', value: 3, periodSeconds: 120 },
        ],
      },
      current: 10,
      up: [ev(50, 3)],
      down: [],
      want: 12,
    },
  ])('$name', ({ rules, current, up, down, want }) => {
    expect(scaleUpLimit(current, up, down, upRules(rules), now)).toBe(want);
  });
});

describe('scale-down rate policies', () => {
  it.each([
    { name: 'default 100% per 15s allows zero', rules: {}, current: 10, up: [], down: [], want: 0 },
    {
      name: 'Percent truncates',
      rules: { policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      current: 15,
      up: [],
      down: [],
      want: 13,
    },
    {
      name: 'Pods per period',
      rules: { policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
      current: 10,
      up: [],
      down: [],
      want: 9,
    },
    {
      name: 'Pods already used in the period',
      rules: { policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
      current: 9,
      up: [],
      down: [ev(0, 1)],
      want: 9,
    },
    {
      name: 'Max selects the biggest change',
      rules: {
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 60 },
          { type: 'Percent', value: 10, periodSeconds: 60 },
        ],
      },
      current: 20,
      up: [],
      down: [],
      want: 16,
    },
    {
      name: 'Min selects the smallest change',
      rules: {
        selectPolicy: 'Min',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 60 },
          { type: 'Percent', value: 10, periodSeconds: 60 },
        ],
      },
      current: 20,
      up: [],
      down: [],
      want: 18,
    },
    { name: 'Disabled', rules: { selectPolicy: 'Disabled' }, current: 20, up: [], down: [], want: 20 },
    {
      name: 'a recent scale-up lowers the period start',
      rules: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
      current: 10,
      up: [ev(80, 4)],
      down: [],
      want: 4,
    },
  ])('$name', ({ rules, current, up, down, want }) => {
    expect(scaleDownLimit(current, up, down, downRules(rules), now)).toBe(want);
  });
});

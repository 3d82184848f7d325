import { describe, expect, it } from 'vitest';
import { judgeChangeLimits, maxStepFrom } from './change-limits.policy';

const at = (patch: Partial<Parameters<typeof judgeChangeLimits>[0]>) =>
  judgeChangeLimits({
    setting: 'replicas',
    current: 10,
    goal: 12,
    guardrails: {},
    lastChangedAt: null,
    now: 100_000,
    ...patch,
  });

describe('maxStepFrom', () => {
  it.each([
    [{ absolute: 3 }, 10, 3],
    [{ percent: 50 }, 10, 5],
    [{ percent: 50 }, 3, 2],
    [{ percent: 10 }, 1, 1],
    [{ percent: 10 }, 0, 1],
    [{ absolute: 3, percent: 50 }, 10, 3],
    [{ absolute: 8, percent: 50 }, 10, 5],
  ])('%j from %d allows %d', (maxStep, current, expected) => {
    expect(maxStepFrom(current, maxStep)).toBe(expected);
  });
});

describe('judgeChangeLimits', () => {
  it('lets a change through when the target has no guardrails', () => {
    expect(at({ goal: 1000 })).toEqual({ ok: true });
  });

  it('refuses a step over maxStep, up or down, and names the limit', () => {
    expect(at({ goal: 40, guardrails: { maxStep: { absolute: 4, percent: 50 } } })).toEqual({
      ok: false,
      reason: 'guardrail maxStep: replicas 10 -> 40 is a step of 30, over the limit of 4 (absolute 4, 50% of 10)',
    });
    expect(at({ goal: 1, guardrails: { maxStep: { percent: 50 } } })).toMatchObject({ ok: false });
  });

  it('lets a step exactly at the limit through', () => {
    expect(at({ goal: 14, guardrails: { maxStep: { absolute: 4 } } })).toEqual({ ok: true });
    expect(at({ goal: 6, guardrails: { maxStep: { absolute: 4 } } })).toEqual({ ok: true });
  });

  it('refuses a change sooner than minIntervalSeconds after the last one, and allows it after', () => {
    const guardrails = { minIntervalSeconds: 30 };
    expect(at({ guardrails, lastChangedAt: 100_000 - 12_000 })).toEqual({
      ok: false,
      reason: 'guardrail minIntervalSeconds: replicas was changed 12.0 s ago, under the 30 s between changes',
    });
    expect(at({ guardrails, lastChangedAt: 100_000 - 30_000 })).toEqual({ ok: true });
    expect(at({ guardrails, lastChangedAt: null })).toEqual({ ok: true });
  });
});

import { targetEntrySchema } from '@surge/executor-core';
import type { ScaleDecision } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { ApplyRunner } from './apply-runner';
import { ExecutorError, ExecutorErrorCode } from './executor.error';
import type { Executor, ResolvedTarget } from './executor.interface';

/** A scripted target: `failures` lists what each successive call throws before calls succeed. */
function scriptedExecutor(options: {
  value?: number;
  failures?: Partial<Record<'read' | 'apply' | 'check', ExecutorError[]>>;
  lagReads?: number;
  effective?: number;
  /** An apply that fails does so after the value is set: a call whose answer is lost after it landed. */
  failAfterSetting?: boolean;
}) {
  let value = options.value ?? 2;
  let lag = options.lagReads ?? 0;
  const calls: string[] = [];
  const fail = (kind: 'read' | 'apply' | 'check') => {
    const error = options.failures?.[kind]?.shift();
    if (error) throw error;
  };
  const executor: Executor = {
    kinds: ['Scripted'],
    read: async () => {
      calls.push('read');
      fail('read');
      return value;
    },
    check: async () => {
      calls.push('check');
      fail('check');
    },
    apply: async (_t, _s, next) => {
      calls.push(`apply ${next}`);
      if (options.failAfterSetting) value = options.effective ?? next;
      fail('apply');
      value = options.effective ?? next;
      return options.effective;
    },
    readBack: async () => {
      calls.push('readBack');
      return lag-- > 0 ? -1 : value;
    },
    observe: async () => ({ value }),
  };
  return { executor, calls };
}

const targetWith = (patch: object = {}): ResolvedTarget => ({
  entry: targetEntrySchema.parse({ id: 'a/b', kind: 'Scripted', bounds: { min: 0, max: 10 }, ...patch }),
  connection: null,
});
const target = targetWith();
/** Made from the scripted target's starting value, 2. */
const decision = { decisionId: 'd-00000001', setting: 'replicas', from: 2 } as ScaleDecision;
const runner = (verifyTimeoutMs = 200) =>
  new ApplyRunner(
    {
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 },
      attemptTimeoutMs: 100,
      verifyTimeoutMs,
      verifyIntervalMs: 5,
    },
    {} as never,
  );
const unavailable = () => new ExecutorError(ExecutorErrorCode.Unavailable, 'down');

describe('ApplyRunner', () => {
  it('applies, then reads back until the value shows', async () => {
    const { executor, calls } = scriptedExecutor({ lagReads: 2 });
    expect(await runner().run(executor, target, decision, 5)).toEqual({
      ok: true,
      before: 2,
      after: 5,
      verified: true,
      changed: true,
    });
    expect(calls.filter((c) => c !== 'check')).toEqual(['read', 'apply 5', 'readBack', 'readBack', 'readBack']);
  });

  it('does not apply a value the target already has', async () => {
    const { executor, calls } = scriptedExecutor({ value: 5 });
    expect(await runner().run(executor, target, decision, 5)).toEqual({
      ok: true,
      before: 5,
      after: 5,
      verified: true,
      changed: false,
    });
    expect(calls.some((c) => c.startsWith('apply'))).toBe(false);
  });

  it('retries transient failures with backoff and succeeds', async () => {
    const { executor, calls } = scriptedExecutor({
      failures: { read: [unavailable()], apply: [new ExecutorError(ExecutorErrorCode.Conflict, '409')] },
    });
    expect(await runner().run(executor, target, decision, 4)).toMatchObject({ ok: true, after: 4 });
    expect(calls.filter((c) => c.startsWith('apply'))).toHaveLength(2);
  });

  it('gives up after the retries with the last error', async () => {
    const { executor, calls } = scriptedExecutor({ failures: { read: [unavailable(), unavailable(), unavailable()] } });
    const outcome = await runner().run(executor, target, decision, 4);
    expect(outcome).toMatchObject({ ok: false, before: null, error: { message: 'down' } });
    expect(calls.filter((c) => c === 'read')).toHaveLength(3);
  });

  it('does not retry a refusal, and keeps the value read', async () => {
    const { executor, calls } = scriptedExecutor({
      failures: { check: [new ExecutorError(ExecutorErrorCode.Refused, 'no')] },
    });
    expect(await runner().run(executor, target, decision, 4)).toMatchObject({
      ok: false,
      before: 2,
      error: { code: 'refused' },
    });
    expect(calls.filter((c) => c === 'check')).toHaveLength(1);
  });

  it('reports not verified when the read-back never shows the value in time', async () => {
    const { executor } = scriptedExecutor({ lagReads: 1000 });
    expect(await runner(30).run(executor, target, decision, 6)).toEqual({
      ok: true,
      before: 2,
      after: -1,
      verified: false,
      changed: true,
    });
  });

  it('verifies against the value the adapter chose (a restored baseline)', async () => {
    const { executor } = scriptedExecutor({ value: 8, effective: 3 });
    expect(await runner().run(executor, target, { ...decision, from: 8 }, 1)).toEqual({
      ok: true,
      before: 8,
      after: 3,
      verified: true,
      changed: true,
    });
  });

  describe('check before act', () => {
    it('refuses a decision made for another value as a conflict, without retrying or applying', async () => {
      const { executor, calls } = scriptedExecutor({ value: 7 });
      const outcome = await runner().run(executor, target, decision, 4);
      expect(outcome).toMatchObject({ ok: false, before: 7, error: { code: 'mismatch' } });
      expect((outcome as { error: Error }).error.message).toBe(
        "replicas reads 7, neither the decision's from 2 (tolerance 0) nor its to 4: changed since the decision was made, not changed by it",
      );
      expect(calls.filter((c) => c === 'read')).toHaveLength(1);
      expect(calls.some((c) => c.startsWith('apply'))).toBe(false);
    });

    it("applies when the value read is within the target's fromTolerance of from", async () => {
      const { executor, calls } = scriptedExecutor({ value: 3 });
      expect(await runner().run(executor, targetWith({ fromTolerance: 1 }), decision, 5)).toMatchObject({
        ok: true,
        before: 3,
        after: 5,
        changed: true,
      });
      expect(calls).toContain('apply 5');
    });

    it('does not apply again when an apply whose answer was lost had landed: the retry reads the value', async () => {
      const { executor, calls } = scriptedExecutor({ failures: { apply: [unavailable()] }, failAfterSetting: true });
      expect(await runner().run(executor, target, decision, 4)).toMatchObject({ ok: true, before: 4, after: 4 });
      expect(calls.filter((c) => c.startsWith('apply'))).toEqual(['apply 4']);
    });

    it('refuses a step over the guardrail and a change sooner than the interval, applying neither', async () => {
      const { executor, calls } = scriptedExecutor({});
      const guarded = targetWith({ guardrails: { maxStep: { absolute: 2 }, minIntervalSeconds: 60 } });
      const step = await runner().run(executor, guarded, decision, 9);
      expect(step).toMatchObject({ ok: false, before: 2, error: { code: 'refused' } });
      expect((step as { error: Error }).error.message).toContain('guardrail maxStep');
      const soon = await runner().run(executor, guarded, decision, 4, { lastChangedAt: 1_000, now: 31_000 });
      expect((soon as { error: Error }).error.message).toContain('guardrail minIntervalSeconds');
      expect(calls.some((c) => c.startsWith('apply'))).toBe(false);
      expect(await runner().run(executor, guarded, decision, 4, { lastChangedAt: 1_000, now: 61_000 })).toMatchObject({
        ok: true,
        after: 4,
      });
    });
  });

  describe('readiness', () => {
    it('asks an adapter that tells readiness, with the target timeout (default 120 s), for the value it set', async () => {
      const { executor } = scriptedExecutor({ value: 8, effective: 3 });
      const asked: [number, number][] = [];
      executor.awaitReady = async (_t, _s, value, timeoutMs) => {
        asked.push([value, timeoutMs]);
        return { ready: false, detail: '1 of 3 ready' };
      };
      const outcome = await runner().run(executor, target, { ...decision, from: 8 }, 2);
      expect(outcome).toMatchObject({ ok: true, after: 3, readiness: { ready: false, detail: '1 of 3 ready' } });
      await runner().run(executor, targetWith({ readyTimeoutSeconds: 2 }), { ...decision, from: 3 }, 3);
      expect(asked).toEqual([
        [3, 120_000],
        [3, 2_000],
      ]);
    });
  });
});

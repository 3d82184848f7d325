import type { ActionResult, ScaleDecision } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { evaluate, onPlanResults } from './evaluate';
import { nextWakeAt } from './next-wake';
import { planClaims } from './plan-claims';
import { emptyState, type TargetState } from './state';
import { at, planResult, testPolicy } from './testing';

const pool = { id: 'db/pool', kind: 'PgBouncerPool' };
const room = { id: 'shop/room', kind: 'VirtualQueue' };

// Runbook 002's step as one rule: "p95 above 5 s for 2 minutes: add 50 % app capacity, raise the PgBouncer pool,
// open the waiting room; when it has been quiet, undo it gradually".
function planPolicy(plan: Record<string, unknown>, recovery?: Record<string, unknown>, extra: object = {}) {
  return testPolicy({
    minReplicas: 2,
    maxReplicas: 40,
    metrics: [],
    rules: [
      {
        name: 'p95-degradation',
        when: { metric: 'http_p95_ms', op: '>', value: 5000 },
        for: '2m',
        severity: 'SEV-1',
        plan,
        ...(recovery ? { recovery } : {}),
      },
    ],
    ...extra,
  });
}

const threeSteps = {
  steps: [
    { scaleBy: '+50%' },
    { name: 'pool', target: pool, setting: 'default_pool_size', scaleTo: 60 },
    { name: 'room', target: room, setting: 'mode', scaleTo: 'queue', after: '1m' },
  ],
};

const observedValues: Record<string, number> = { 'db/pool default_pool_size': 20, 'shop/room mode': 2 };
const observed = (target: { id: string }, setting: string) => observedValues[`${target.id} ${setting}`];

const result = planResult;

/** Drives a policy: p95 samples at the given seconds; returns the state and every decision so far. */
function breach(policy: ReturnType<typeof planPolicy>, steps: [seconds: number, p95: number][], start?: TargetState) {
  let state = start ?? emptyState(4);
  const decisions: ScaleDecision[] = [];
  for (const [seconds, p95] of steps) {
    const out = evaluate({
      policy,
      state,
      samples: [{ metric: 'http_p95_ms', value: p95, timestamp: at(seconds) }],
      observed,
    });
    state = out.state;
    decisions.push(...out.decisions);
  }
  return { state, decisions };
}

function feed(policy: ReturnType<typeof planPolicy>, state: TargetState, r: ActionResult, seconds: number) {
  return onPlanResults({ policy, state, results: [r], now: at(seconds), observed });
}

describe('a plan run', () => {
  it('decides each step only after the one before has its result, and waits out a step’s after', () => {
    const policy = planPolicy(threeSteps);
    const fired = breach(policy, [
      [0, 6000],
      [120, 6000],
    ]);
    expect(fired.decisions).toHaveLength(1);
    const [first] = fired.decisions;
    expect(first).toMatchObject({ target: { id: 'production/checkout-api' }, setting: 'replicas', from: 4, to: 6 });
    expect(first!.plan).toMatchObject({ rule: 'p95-degradation', step: 0, phase: 'apply' });
    expect(first!.ruleSeverity).toBe('SEV-1');

    // More samples while step 0 awaits its result decide nothing more.
    const waiting = breach(policy, [[130, 6000]], fired.state);
    expect(waiting.decisions).toHaveLength(0);

    const second = feed(policy, waiting.state, result(first!, 'applied', at(131)), 131);
    expect(second.decisions).toHaveLength(1);
    expect(second.decisions[0]).toMatchObject({ target: pool, setting: 'default_pool_size', from: 20, to: 60 });

    // Step 2 waits a minute after step 1's result: a wake-up is asked for then, and only then is it decided.
    const third = feed(policy, second.state, result(second.decisions[0]!, 'applied', at(140)), 140);
    expect(third.decisions).toHaveLength(0);
    expect(nextWakeAt(policy, third.state, at(140))).toBe(at(200));
    const due = evaluate({ policy, state: third.state, now: at(200), observed });
    expect(due.decisions).toHaveLength(1);
    expect(due.decisions[0]).toMatchObject({ target: room, setting: 'mode', from: 2, to: 1 });

    const done = feed(policy, due.state, result(due.decisions[0]!, 'applied', at(201)), 201);
    const run = done.state.plans!['p95-degradation']!;
    expect(run.phase).toBe('applied');
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('gives every step its own decision id, and the same ids again on a replay', () => {
    const policy = planPolicy({
      steps: [
        { target: room, setting: 'mode', scaleTo: 'queue' },
        { target: room, setting: 'maxActive', scaleTo: 1000 },
      ],
    });
    observedValues['shop/room maxActive'] = 5000;
    const a = breach(policy, [
      [0, 6000],
      [120, 6000],
    ]);
    const b = breach(policy, [
      [0, 6000],
      [120, 6000],
    ]);
    expect(a.decisions[0]!.decisionId).toBe(b.decisions[0]!.decisionId);
    const next = feed(policy, a.state, result(a.decisions[0]!, 'applied', at(121)), 121);
    expect(next.decisions[0]!.setting).toBe('maxActive');
    expect(next.decisions[0]!.decisionId).not.toBe(a.decisions[0]!.decisionId);
  });

  it('stops at a failed step by default, and goes on with onStepFailure: continue', () => {
    for (const [onStepFailure, expected] of [
      ['stop', 0],
      ['continue', 1],
    ] as const) {
      const policy = planPolicy({ ...threeSteps, onStepFailure });
      const fired = breach(policy, [
        [0, 6000],
        [120, 6000],
      ]);
      const after = feed(policy, fired.state, result(fired.decisions[0]!, 'failed', at(121)), 121);
      expect(after.decisions).toHaveLength(expected);
      const run = after.state.plans!['p95-degradation']!;
      expect(run.steps[0]).toMatchObject({ status: 'failed', outcome: 'failed: boom' });
      expect(run.phase).toBe(onStepFailure === 'stop' ? 'stopped' : 'applying');
    }
  });

  it('alerts on a failed step, and on a step that notifies, each resolved when the run is done', () => {
    const policy = planPolicy({
      onStepFailure: 'continue',
      steps: [
        { scaleBy: '+50%', notify: true },
        { name: 'pool', target: pool, setting: 'default_pool_size', scaleTo: 60 },
      ],
    });
    const fired = breach(policy, [
      [0, 6000],
      [120, 6000],
    ]);
    const first = feed(policy, fired.state, result(fired.decisions[0]!, 'applied', at(121)), 121);
    expect(first.alerts).toEqual([
      expect.objectContaining({
        status: 'firing',
        source: 'rule',
        labels: expect.objectContaining({ alertname: 'SurgePlanStep' }),
      }),
    ]);
    const second = feed(policy, first.state, result(first.decisions[0]!, 'failed', at(122)), 122);
    expect(second.alerts).toEqual([
      expect.objectContaining({
        status: 'firing',
        source: 'action-failed',
        labels: expect.objectContaining({ alertname: 'SurgePlanStepFailed' }),
      }),
    ]);
    expect(second.alerts[0]!.annotations.summary).toMatch(/step pool failed: default_pool_size 20 → 60 on db\/pool/);
    // The breach ends; without a recovery the run lets go, and both alerts resolve.
    const cleared = breach(policy, [[200, 100]], second.state);
    expect(cleared.state.plans!['p95-degradation']!.phase).toBe('done');
    const resolved = evaluate({
      policy,
      state: second.state,
      samples: [{ metric: 'http_p95_ms', value: 100, timestamp: at(200) }],
      observed,
    }).alerts.filter((a) => a.status === 'resolved');
    expect(resolved.map((a) => a.source).sort()).toEqual(['action-failed', 'rule']);
  });

  it('counts a step without a result within resultTimeout as failed, so no run waits forever', () => {
    const policy = planPolicy({ ...threeSteps, resultTimeout: '2m' });
    const fired = breach(policy, [
      [0, 6000],
      [120, 6000],
    ]);
    expect(nextWakeAt(policy, fired.state, at(121))).toBe(at(240));
    const silent = evaluate({ policy, state: fired.state, now: at(240), observed });
    const run = silent.state.plans!['p95-degradation']!;
    expect(run.phase).toBe('stopped');
    expect(run.steps[0]).toMatchObject({ status: 'failed', outcome: 'no result within 120s' });
    expect(silent.alerts).toEqual([expect.objectContaining({ source: 'action-failed', status: 'firing' })]);
    // A result that comes after all moves the run no further, but what it set is held (plan-edge-cases.spec.ts).
    const late = feed(policy, silent.state, result(fired.decisions[0]!, 'applied', at(241)), 241);
    expect(late.decisions).toEqual([]);
    expect(late.state.plans!['p95-degradation']).toMatchObject({ phase: 'stopped', steps: [{ holds: 6 }, {}, {}] });
  });

  it('ends a run whose plan changed shape in a reload, letting go of its holds, instead of failing', () => {
    const policy = planPolicy(threeSteps);
    const fired = breach(policy, [
      [0, 6000],
      [120, 6000],
    ]);
    const applied = feed(policy, fired.state, result(fired.decisions[0]!, 'applied', at(121)), 121);
    const shorter = planPolicy({ steps: threeSteps.steps.slice(0, 1) });
    expect(planClaims(shorter, applied.state)).toEqual([]);
    const after = breach(shorter, [[130, 6000]], applied.state);
    expect(after.state.plans!['p95-degradation']).toMatchObject({ phase: 'done', reason: /plan changed/ });
    expect(after.decisions).toHaveLength(0);
    // The step the old run awaited answers after all: nothing moves.
    expect(feed(shorter, after.state, result(applied.decisions[0]!, 'applied', at(131)), 131).changed).toBe(false);
  });

  it('ignores an executor’s refusal of a forged copy of the awaited step, and holds what was really set', () => {
    const policy = planPolicy(threeSteps);
    const fired = breach(policy, [
      [0, 6000],
      [120, 6000],
    ]);
    const forged = { ...result(fired.decisions[0]!, 'rejected', at(121)), reason: 'signature' as const };
    expect(feed(policy, fired.state, forged, 121).changed).toBe(false);
    // The genuine step is applied, but the target's bounds held it at 5 rather than 6.
    const clamped = { ...result(fired.decisions[0]!, 'applied', at(122)), after: 5 };
    const next = feed(policy, fired.state, clamped, 122);
    expect(next.state.plans!['p95-degradation']!.steps[0]).toMatchObject({ status: 'succeeded', holds: 5 });
  });

  it('ignores a result of another run, or one it does not await', () => {
    const policy = planPolicy(threeSteps);
    const fired = breach(policy, [
      [0, 6000],
      [120, 6000],
    ]);
    const decision = fired.decisions[0]!;
    const foreign = { ...result(decision, 'applied', at(121)), plan: { ...decision.plan!, runId: 'p-someone-else' } };
    expect(feed(policy, fired.state, foreign, 121).changed).toBe(false);
    const applied = feed(policy, fired.state, result(decision, 'applied', at(121)), 121);
    // The same result again (a redelivery) moves nothing further.
    const again = feed(policy, applied.state, result(decision, 'applied', at(122)), 122);
    expect(again.changed).toBe(false);
    expect(again.decisions).toHaveLength(0);
  });

  it('starts once per breach: a breach that goes on does not run the plan on top of itself', () => {
    const policy = planPolicy({ steps: [{ target: pool, setting: 'default_pool_size', scaleTo: 60 }] });
    const fired = breach(policy, [
      [0, 6000],
      [120, 6000],
    ]);
    const applied = feed(policy, fired.state, result(fired.decisions[0]!, 'applied', at(121)), 121);
    const later = breach(
      policy,
      [
        [240, 6000],
        [360, 6000],
      ],
      applied.state,
    );
    expect(later.decisions).toHaveLength(0);
  });

  it('decides nothing while paused, and resumes where it was', () => {
    const policy = planPolicy(threeSteps);
    const paused = { ...policy, paused: true };
    const held = breach(paused, [
      [0, 6000],
      [120, 6000],
    ]);
    expect(held.decisions).toHaveLength(0);
    const resumed = breach(policy, [[121, 6000]], held.state);
    expect(resumed.decisions).toHaveLength(1);
  });
});

describe('a plan’s recovery', () => {
  const recovering = planPolicy(
    { steps: [{ scaleTo: 10 }, { name: 'pool', target: pool, setting: 'default_pool_size', scaleTo: 60 }] },
    { after: '15m', every: '5m', through: [6, 4] },
  );

  /** Applies every decision at once, as an executor that succeeds would. */
  function settle(state: TargetState, decisions: ScaleDecision[], seconds: number) {
    let pending = decisions;
    const all: ScaleDecision[] = [];
    while (pending.length) {
      all.push(...pending);
      const next: ScaleDecision[] = [];
      for (const d of pending) {
        if (d.target.id === 'db/pool') observedValues['db/pool default_pool_size'] = d.to;
        const out = feed(recovering, state, result(d, 'applied', at(seconds)), seconds);
        state = out.state;
        next.push(...out.decisions);
      }
      pending = next;
    }
    return { state, all };
  }

  it('waits for the quiet period, then reverts last step first, one move per every, to the values from before', () => {
    observedValues['db/pool default_pool_size'] = 20;
    const fired = breach(
      recovering,
      [
        [0, 6000],
        [120, 6000],
      ],
      emptyState(2),
    );
    const settledFirst = settle(fired.state, fired.decisions, 121);
    const all = settledFirst.all;
    let state = settledFirst.state;
    expect(all.map((d) => [d.setting, d.from, d.to])).toEqual([
      ['replicas', 2, 10],
      ['default_pool_size', 20, 60],
    ]);
    // Quiet from 200 s: nothing before 15 minutes have passed.
    const quiet = breach(recovering, [[200, 1000]], state);
    expect(quiet.decisions).toHaveLength(0);
    expect(nextWakeAt(recovering, quiet.state, at(200))).toBe(at(200 + 900));

    const moves: [string, number, number][] = [];
    state = quiet.state;
    for (let t = 1100; t <= 1100 + 5 * 300; t += 300) {
      const out = evaluate({ policy: recovering, state, now: at(t), observed });
      const settled = settle(out.state, out.decisions, t);
      state = settled.state;
      moves.push(...settled.all.map((d): [string, number, number] => [d.setting, d.from, d.to]));
      if (settled.all.some((d) => d.target.id !== 'db/pool')) state = { ...state, current: settled.all.at(-1)!.to };
    }
    // The pool (last step) first: straight through 6 and 4 is only for values between, so 60 → 20 at once; then
    // the replicas 10 → 6 → 4 → 2, one move per 5 minutes.
    expect(moves).toEqual([
      ['default_pool_size', 60, 20],
      ['replicas', 10, 6],
      ['replicas', 6, 4],
      ['replicas', 4, 2],
    ]);
    expect(state.plans!['p95-degradation']!.phase).toBe('done');
  });

  it('holds the settings it changed against other policies until it is done, and lets scale-ups through', () => {
    observedValues['db/pool default_pool_size'] = 20;
    const fired = breach(
      recovering,
      [
        [0, 6000],
        [120, 6000],
      ],
      emptyState(2),
    );
    const { state } = settle(fired.state, fired.decisions, 121);
    const claims = planClaims(recovering, state);
    expect(claims).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: pool, setting: 'default_pool_size', value: 60, direction: 'floor' }),
      ]),
    );
    // The pool's own policy wants it down at 25 or up at 80: down is held at the plan's 60, up goes through.
    const poolPolicy = testPolicy({
      target: pool,
      setting: 'default_pool_size',
      minReplicas: undefined,
      maxReplicas: undefined,
      min: 10,
      max: 100,
      metrics: [{ metric: 'cl_waiting', target: { type: 'Value', value: 10 } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
    });
    const poolState = { ...emptyState(60), recommendations: [{ time: at(100), value: 60 }] };
    const down = evaluate({
      policy: poolPolicy,
      state: poolState,
      samples: [{ metric: 'cl_waiting', value: 4, timestamp: at(130) }],
      claims,
    });
    expect(down.decisions).toHaveLength(0);
    const up = evaluate({
      policy: poolPolicy,
      state: poolState,
      samples: [{ metric: 'cl_waiting', value: 14, timestamp: at(130) }],
      claims,
    });
    expect(up.decisions[0]).toMatchObject({ from: 60, to: 84 });
  });

  it('skips a revert whose setting is no longer the plan’s own (a conflict), and goes on with the step before', () => {
    observedValues['db/pool default_pool_size'] = 20;
    const fired = breach(
      recovering,
      [
        [0, 6000],
        [120, 6000],
      ],
      emptyState(2),
    );
    const { state } = settle(fired.state, fired.decisions, 121);
    const quiet = breach(recovering, [[200, 1000]], state);
    const revert = evaluate({ policy: recovering, state: quiet.state, now: at(1100), observed });
    expect(revert.decisions[0]).toMatchObject({ setting: 'default_pool_size', from: 60, to: 20 });
    const conflict = feed(recovering, revert.state, result(revert.decisions[0]!, 'conflict', at(1101)), 1101);
    expect(conflict.state.plans!['p95-degradation']!.steps[1]).toMatchObject({ status: 'skipped' });
    // A skip is no move: the step before is reverted at once.
    expect(conflict.decisions[0]).toMatchObject({ setting: 'replicas', from: 10, to: 6, plan: { phase: 'revert' } });
  });

  it('reverts within the policy’s bounds, skips a value someone has moved since, and respects another plan’s hold', () => {
    const policy = testPolicy({
      minReplicas: 2,
      maxReplicas: 40,
      metrics: [],
      rules: [
        {
          name: 'slow',
          when: { metric: 'http_p95_ms', op: '>', value: 5000 },
          plan: { steps: [{ scaleTo: 10 }, { target: pool, setting: 'default_pool_size', scaleTo: 60 }] },
          recovery: { after: '1m', to: 1 },
        },
        {
          name: 'emergency',
          when: { metric: 'error_rate', op: '>', value: 5 },
          plan: { steps: [{ target: pool, setting: 'default_pool_size', scaleTo: 80 }] },
        },
      ],
    });
    observedValues['db/pool default_pool_size'] = 20;
    let state = emptyState(2);
    const step = (seconds: number, samples: [string, number][]) => {
      const out = evaluate({
        policy,
        state,
        samples: samples.map(([metric, value]) => ({ metric, value, timestamp: at(seconds) })),
        observed,
      });
      state = out.state;
      return out.decisions;
    };
    const settleAll = (decisions: ScaleDecision[], seconds: number) => {
      for (let queue = decisions; queue.length;) {
        const d = queue[0]!;
        if (d.target.id === pool.id) observedValues['db/pool default_pool_size'] = d.to;
        const out = feed(policy, state, result(d, 'applied', at(seconds)), seconds);
        state = out.state;
        queue = [...queue.slice(1), ...out.decisions];
      }
    };
    settleAll(
      step(0, [
        ['http_p95_ms', 9000],
        ['error_rate', 1],
      ]),
      1,
    );
    // The emergency plan raises the pool further, to 80, and keeps holding it (no recovery, still breaching).
    settleAll(
      step(10, [
        ['http_p95_ms', 9000],
        ['error_rate', 9],
      ]),
      11,
    );
    expect(observedValues['db/pool default_pool_size']).toBe(80);
    // slow clears; someone set replicas to 12 by hand meanwhile.
    state = { ...state, current: 12 };
    step(20, [
      ['http_p95_ms', 100],
      ['error_rate', 9],
    ]);
    const reverts = step(90, [
      ['http_p95_ms', 100],
      ['error_rate', 9],
    ]);
    // The pool is not the slow plan's any more (80, not its 60), and emergency holds it: nothing to revert there.
    // The replicas are not its 10 either: skipped too. Nothing is decided, and the run is done.
    expect(reverts).toEqual([]);
    const run = state.plans!['slow']!;
    expect(run.phase).toBe('done');
    expect(run.steps.map((s) => s.status)).toEqual(['skipped', 'skipped']);
    expect(run.steps[1]!.outcome).toMatch(/reads 80, not the plan's 60/);
  });

  it('reverts to the policy’s minimum when the recovery names a value below it', () => {
    const policy = planPolicy({ steps: [{ scaleTo: 10 }] }, { after: '1m', to: 1 });
    const fired = breach(
      policy,
      [
        [0, 6000],
        [120, 6000],
      ],
      emptyState(4),
    );
    const applied = feed(policy, fired.state, result(fired.decisions[0]!, 'applied', at(121)), 121);
    const quiet = breach(
      policy,
      [
        [130, 100],
        [200, 100],
      ],
      applied.state,
    );
    expect(quiet.decisions).toEqual([
      expect.objectContaining({ from: 10, to: 2, plan: expect.objectContaining({ phase: 'revert' }) }),
    ]);
  });
});

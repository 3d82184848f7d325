import type { ScaleDecision } from '@surge/contracts';
import { PolicyValidationError } from '@surge/policy';
import { describe, expect, it } from 'vitest';
import { evaluate, onPlanResults } from './evaluate';
import { planClaims } from './plan-claims';
import { emptyState, type TargetState } from './state';
import { at, planResult, testPolicy } from './testing';

const pool = { id: 'db/pool', kind: 'PgBouncerPool' };
const room = { id: 'shop/room', kind: 'VirtualQueue' };

const poolStep = { name: 'pool', target: pool, setting: 'default_pool_size', scaleTo: 60 };
const roomStep = { name: 'room', target: room, setting: 'mode', scaleTo: 'queue', after: '1m' };

function planPolicy(plan: Record<string, unknown>, recovery?: Record<string, unknown>) {
  return testPolicy({
    minReplicas: 2,
    maxReplicas: 40,
    metrics: [],
    rules: [
      {
        name: 'slow',
        when: { metric: 'http_p95_ms', op: '>', value: 5000 },
        for: '2m',
        severity: 'SEV-1',
        plan,
        ...(recovery ? { recovery } : {}),
      },
    ],
  });
}

type Policy = ReturnType<typeof planPolicy>;

/** A target whose plans act on a pool and a room; the observed values follow what the specs apply. */
function world() {
  const values: Record<string, number> = { 'db/pool default_pool_size': 20, 'shop/room mode': 2 };
  const observed = (target: { id: string }, setting: string) => values[`${target.id} ${setting}`];
  const sample = (policy: Policy, state: TargetState, seconds: number, p95: number) =>
    evaluate({ policy, state, samples: [{ metric: 'http_p95_ms', value: p95, timestamp: at(seconds) }], observed });
  type Status = 'applied' | 'not-ready' | 'dry-run';
  const feed = (policy: Policy, state: TargetState, decision: ScaleDecision, status: Status, s: number) => {
    const moved = status !== 'dry-run' && decision.target.id !== 'production/checkout-api';
    if (moved) values[`${decision.target.id} ${decision.setting}`] = decision.to;
    return onPlanResults({ policy, state, results: [planResult(decision, status, at(s))], now: at(s), observed });
  };
  /** Breaching from 0 s, fired at 120 s: the first step's decision. */
  const fire = (policy: Policy) => {
    const first = sample(policy, sample(policy, emptyState(4), 0, 6000).state, 120, 6000);
    return { state: first.state, decision: first.decisions[0]! };
  };
  return { values, observed, sample, feed, fire };
}

const run = (state: TargetState) => state.plans!['slow']!;

describe('a plan step that failed but moved its setting', () => {
  it('holds a not-ready step’s change, stops as a failure, and reverts it on recovery', () => {
    const w = world();
    const policy = planPolicy({ steps: [poolStep, { scaleTo: 10 }] }, { after: '5m' });
    const fired = w.fire(policy);
    const notReady = w.feed(policy, fired.state, fired.decision, 'not-ready', 121);
    expect(run(notReady.state)).toMatchObject({ phase: 'stopped', steps: [{ status: 'failed', holds: 60 }, {}] });
    expect(notReady.alerts).toEqual([expect.objectContaining({ source: 'action-failed', status: 'firing' })]);
    expect(planClaims(policy, notReady.state)).toEqual([
      expect.objectContaining({ target: pool, setting: 'default_pool_size', value: 60, direction: 'floor' }),
    ]);
    const clear = w.sample(policy, notReady.state, 130, 100);
    const back = w.sample(policy, clear.state, 430, 100);
    expect(back.decisions).toEqual([expect.objectContaining({ target: pool, from: 60, to: 20 })]);
  });

  it('recognises a step’s result after its resultTimeout: what it set is held, then reverted', () => {
    const w = world();
    const policy = planPolicy({ resultTimeout: '1m', steps: [poolStep, { scaleTo: 10 }] }, { after: '5m' });
    const fired = w.fire(policy);
    const silent = evaluate({ policy, state: fired.state, now: at(180), observed: w.observed });
    expect(run(silent.state)).toMatchObject({ phase: 'stopped', steps: [{ status: 'failed' }, {}] });
    expect(planClaims(policy, silent.state)).toEqual([]);
    const late = w.feed(policy, silent.state, fired.decision, 'applied', 200);
    expect(late.changed).toBe(true);
    expect(late.decisions).toEqual([]);
    expect(run(late.state).steps[0]).toMatchObject({ holds: 60, outcome: /after the result timeout/ });
    expect(planClaims(policy, late.state)).toEqual([expect.objectContaining({ value: 60 })]);
    // The same late result again changes nothing more.
    expect(w.feed(policy, late.state, fired.decision, 'applied', 201).changed).toBe(false);
    const clear = w.sample(policy, late.state, 210, 100);
    const back = w.sample(policy, clear.state, 510, 100);
    expect(back.decisions).toEqual([expect.objectContaining({ target: pool, from: 60, to: 20 })]);
  });
});

describe('a result matched to the awaited step', () => {
  it('moves the run only when its target, setting and phase are the awaited step’s', () => {
    const w = world();
    const policy = planPolicy({ steps: [poolStep, { scaleTo: 10 }] });
    const fired = w.fire(policy);
    const good = planResult(fired.decision, 'applied', at(121));
    const feed = (result: typeof good) =>
      onPlanResults({ policy, state: fired.state, results: [result], now: at(121), observed: w.observed });
    expect(feed({ ...good, setting: 'max_client_conn' }).changed).toBe(false);
    expect(feed({ ...good, target: { ...pool, id: 'db/other' } }).changed).toBe(false);
    expect(feed({ ...good, target: { ...pool, kind: 'PostgresDatabase' } }).changed).toBe(false);
    expect(feed({ ...good, plan: { ...good.plan!, phase: 'revert' } }).changed).toBe(false);
    expect(feed(good).changed).toBe(true);
  });
});

describe('a run ended by a plan change', () => {
  it('resolves the alerts of its steps', () => {
    const w = world();
    const policy = planPolicy({ onStepFailure: 'continue', steps: [poolStep, { scaleTo: 10 }] });
    const fired = w.fire(policy);
    const failed = onPlanResults({
      policy,
      state: fired.state,
      results: [planResult(fired.decision, 'failed', at(121))],
      now: at(121),
      observed: w.observed,
    });
    expect(failed.alerts).toEqual([expect.objectContaining({ source: 'action-failed', status: 'firing' })]);
    const reloaded = planPolicy({ steps: [poolStep] });
    const after = w.sample(reloaded, failed.state, 130, 6000);
    expect(run(after.state)).toMatchObject({ phase: 'done', reason: /plan changed/ });
    expect(after.alerts).toContainEqual(
      expect.objectContaining({ alertId: failed.alerts[0]!.alertId, status: 'resolved' }),
    );
  });
});

describe('a plan resumed after a pause', () => {
  const steps = { steps: [poolStep, { scaleTo: 10 }, { ...roomStep, after: '0s' }] };

  it('goes on one step at a time, each after the one before has its result', () => {
    const w = world();
    const policy = planPolicy(steps);
    const paused = { ...policy, paused: true };
    const fired = w.fire(policy);
    // The pause comes while step 0 awaits its result; the result arrives during it and decides nothing.
    const folded = w.feed(paused, fired.state, fired.decision, 'applied', 125);
    expect(folded.decisions).toEqual([]);
    const stillPaused = w.sample(paused, folded.state, 600, 6000);
    expect(stillPaused.decisions).toEqual([]);
    const resumed = w.sample(policy, stillPaused.state, 900, 6000);
    expect(resumed.decisions).toEqual([expect.objectContaining({ setting: 'replicas', to: 10 })]);
    expect(w.sample(policy, resumed.state, 960, 6000).decisions).toEqual([]);
    const next = w.feed(policy, resumed.state, resumed.decisions[0]!, 'applied', 961);
    expect(next.decisions).toEqual([expect.objectContaining({ target: room, setting: 'mode' })]);
  });

  it('does not escalate a breach that cleared during the pause: it goes to recovery instead', () => {
    const w = world();
    const policy = planPolicy(steps, { after: '5m' });
    const paused = { ...policy, paused: true };
    const fired = w.fire(policy);
    const folded = w.feed(paused, fired.state, fired.decision, 'applied', 125);
    const cleared = w.sample(paused, folded.state, 300, 100);
    const resumed = w.sample(policy, cleared.state, 400, 100);
    expect(resumed.decisions).toEqual([]);
    expect(run(resumed.state).steps[1]).toMatchObject({ status: 'pending', outcome: /no longer holds/ });
    // Clear for the recovery's after: the steps not taken are skipped, the one taken goes back.
    const back = w.sample(policy, resumed.state, 600, 100);
    expect(back.decisions).toEqual([expect.objectContaining({ target: pool, from: 60, to: 20 })]);
    expect(run(back.state).steps.map((s) => s.status)).toEqual(['succeeded', 'skipped', 'skipped']);
  });

  it('goes on with the next step when the breach holds again before the recovery is due', () => {
    const w = world();
    const policy = planPolicy(steps, { after: '5m' });
    const fired = w.fire(policy);
    // Step 1 would be due with step 0's result; a clear reading before it makes it wait.
    const clearFirst = w.sample(policy, fired.state, 121, 100);
    const held = w.feed(policy, clearFirst.state, fired.decision, 'applied', 122);
    expect(held.decisions).toEqual([]);
    const again = w.sample(policy, held.state, 140, 6000);
    expect(again.decisions).toEqual([expect.objectContaining({ setting: 'replicas', to: 10 })]);
  });
});

describe('a plan step’s way back', () => {
  const ownTo = { after: '5m', every: '1m', through: [6], to: 4 };

  it('applies the rule’s through and to to the policy’s own setting only; other steps go straight back', () => {
    const w = world();
    const policy = planPolicy({ steps: [{ scaleTo: 10 }, poolStep] }, ownTo);
    const fired = w.fire(policy);
    const first = w.feed(policy, fired.state, fired.decision, 'applied', 121);
    let state = w.feed(policy, first.state, first.decisions[0]!, 'applied', 122).state;
    state = w.sample(policy, state, 130, 100).state;
    const poolBack = w.sample(policy, state, 430, 100);
    // Not to 4, a replica count: the pool returns to its own value from before.
    expect(poolBack.decisions).toEqual([expect.objectContaining({ target: pool, from: 60, to: 20 })]);
    const replicas = w.feed(policy, poolBack.state, poolBack.decisions[0]!, 'applied', 431);
    const replicasBack = w.sample(policy, replicas.state, 491, 100);
    expect(replicasBack.decisions).toEqual([expect.objectContaining({ setting: 'replicas', from: 10, to: 6 })]);
  });

  it('walks a step’s own recovery, in its own setting’s values', () => {
    const w = world();
    const stepped = { ...poolStep, recovery: { through: [40, 30] } };
    const policy = planPolicy({ steps: [stepped] }, { after: '5m', every: '1m' });
    const fired = w.fire(policy);
    let state = w.feed(policy, fired.state, fired.decision, 'applied', 121).state;
    state = w.sample(policy, state, 130, 100).state;
    const path: number[] = [];
    for (let seconds = 430; path.at(-1) !== 20 && seconds < 1000; seconds += 60) {
      const due = w.sample(policy, state, seconds, 100);
      state = due.state;
      for (const decision of due.decisions) {
        path.push(decision.to);
        state = w.feed(policy, state, decision, 'applied', seconds + 1).state;
      }
    }
    expect(path).toEqual([40, 30, 20]);
  });

  it('is refused at parse time where it cannot apply, naming the field', () => {
    const noOwnStep = () => planPolicy({ steps: [poolStep] }, { after: '5m', to: 4 });
    expect(noOwnStep).toThrow(PolicyValidationError);
    expect(noOwnStep).toThrow(/rules\.0\.recovery\.to.*no step without its own recovery sets it/);
    const noRuleRecovery = () => planPolicy({ steps: [{ ...poolStep, recovery: { to: 10 } }] });
    expect(noRuleRecovery).toThrow(
      /rules\.0\.plan\.steps\.0\.recovery.*needs the rule’s recovery|needs the rule's recovery/,
    );
    const badName = () => planPolicy({ steps: [{ ...roomStep, recovery: { to: 'nonsense' } }] }, { after: '5m' });
    expect(badName).toThrow(/rules\.0\.plan\.steps\.0\.recovery\.to.*not a named value of mode/);
  });
});

describe('a dry run’s plan preview', () => {
  const policy = planPolicy({ steps: [poolStep, { scaleTo: 10 }] }, { after: '5m' });
  const dry = { ...policy, dryRun: true };

  /** The dry run fired and both its steps answered `dry-run`: nothing moved, the live pool still reads 20. */
  function previewed(w: ReturnType<typeof world>) {
    const fired = w.fire(dry);
    const first = w.feed(dry, fired.state, fired.decision, 'dry-run', 121);
    expect(first.decisions).toEqual([expect.objectContaining({ setting: 'replicas', from: 4, to: 10, dryRun: true })]);
    return w.feed(dry, first.state, first.decisions[0]!, 'dry-run', 122);
  }

  it('keeps its runs in the preview, holds what its steps asked for there, and claims nothing live', () => {
    const w = world();
    const { state } = previewed(w);
    expect(state.plans).toBeUndefined();
    expect(state.current).toBe(4);
    expect(state.preview).toMatchObject({ current: 10 });
    expect(state.preview!.plans!['slow']!.steps).toMatchObject([{ holds: 60 }, { holds: 10 }]);
    expect(planClaims(dry, state)).toEqual([]);
  });

  it('reverts from its own preview values, not from the live ones it never moved', () => {
    const w = world();
    let { state } = previewed(w);
    state = w.sample(dry, state, 130, 100).state;
    const back = w.sample(dry, state, 430, 100);
    expect(back.decisions).toEqual([expect.objectContaining({ setting: 'replicas', from: 10, to: 4, dryRun: true })]);
    const pool = w.feed(dry, back.state, back.decisions[0]!, 'dry-run', 431);
    expect(pool.decisions).toEqual([
      expect.objectContaining({ target: poolStep.target, from: 60, to: 20, dryRun: true }),
    ]);
  });

  it('is dropped when the policy goes live: the live run starts from nothing, holding nothing', () => {
    const w = world();
    const { state } = previewed(w);
    const live = w.sample(policy, state, 130, 6000);
    expect(live.state.preview).toBeUndefined();
    // The breach is real and still holds: the live run starts at its first step, from the live values.
    expect(live.decisions).toEqual([
      expect.objectContaining({ target: poolStep.target, from: 20, to: 60, dryRun: false }),
    ]);
    expect(run(live.state).steps.map((s) => s.status)).toEqual(['decided', 'pending']);
    expect(planClaims(policy, live.state)).toEqual([
      expect.objectContaining({ value: 60, runId: run(live.state).runId }),
    ]);
  });

  it('never takes a live run for its own: a policy gone dry leaves its live run as it is', () => {
    const w = world();
    const fired = w.fire(policy);
    const applied = w.feed(policy, fired.state, fired.decision, 'applied', 121);
    const dried = w.sample(dry, applied.state, 130, 6000);
    expect(dried.state.plans!['slow']).toEqual(applied.state.plans!['slow']);
    // Its preview runs the plan as its own, from the values as they are, and the live run's holds are not its own.
    expect(dried.decisions.every((d) => d.dryRun)).toBe(true);
    const preview = dried.state.preview!.plans!['slow']!;
    expect(preview.runId).not.toBe(applied.state.plans!['slow']!.runId);
    expect(dried.decisions.map((d) => d.decisionId)).not.toContain(applied.decisions[0]!.decisionId);
  });
});

import { ACTION_RESULT_SCHEMA_VERSION, type ActionResult, type ScaleDecision } from '@surge/contracts';
import { describe, expect, it } from 'vitest';
import { evaluate, onPlanResults } from './evaluate';
import { nextWakeAt } from './next-wake';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

const pool = { id: 'db/pool', kind: 'PgBouncerPool' };
const values: Record<string, number> = {};
const observed = (target: { id: string }, setting: string) => values[`${target.id} ${setting}`];

// "Check health, latency and error rate after scaling; roll back if it got worse" (runbook 003).
const verified = (onFailure: string, expr = 'http_p95_ms < before_http_p95_ms', extra: object = {}) =>
  testPolicy({
    minReplicas: 2,
    maxReplicas: 40,
    metrics: [],
    rules: [
      {
        name: 'slow',
        when: { metric: 'http_p95_ms', op: '>', value: 2000 },
        for: '1m',
        severity: 'SEV-2',
        plan: { steps: [{ scaleTo: 8 }, { target: pool, setting: 'default_pool_size', scaleTo: 60 }] },
        verify: { within: '5m', expr, onFailure },
        ...extra,
      },
    ],
  });

function applied(d: ScaleDecision, time: number): ActionResult {
  return {
    schemaVersion: ACTION_RESULT_SCHEMA_VERSION,
    decisionId: d.decisionId,
    target: d.target,
    setting: d.setting,
    status: 'applied',
    before: d.from,
    after: d.to,
    durationMs: 1,
    error: null,
    verified: true,
    executor: 'test',
    time,
    plan: d.plan!,
  };
}

/** Breaches at 3 s p95, fires at 60 s, applies both steps at once, then reports p95 at `p95After` at 350 s. */
function runTo(policy: ReturnType<typeof verified>, p95After: number) {
  values['db/pool default_pool_size'] = 20;
  let state: TargetState = emptyState(4);
  const sample = (seconds: number, p95: number) => {
    const out = evaluate({
      policy,
      state,
      samples: [{ metric: 'http_p95_ms', value: p95, timestamp: at(seconds) }],
      observed,
    });
    state = out.state;
    return out;
  };
  sample(0, 3000);
  let pending = sample(60, 3000).decisions;
  while (pending.length) {
    // As an executor's observation would report it.
    if (pending[0]!.target.id === pool.id) values['db/pool default_pool_size'] = pending[0]!.to;
    const out = onPlanResults({ policy, state, results: [applied(pending[0]!, at(61))], now: at(61), observed });
    state = out.state;
    pending = out.decisions;
  }
  sample(350, p95After);
  return {
    state,
    sample,
    settle: (d: ScaleDecision, s: number) =>
      onPlanResults({ policy, state, results: [applied(d, at(s))], now: at(s), observed }),
  };
}

describe('a plan’s verification', () => {
  it('passes when the expression holds at its due time, and changes nothing', () => {
    const policy = verified('rollback');
    const { state } = runTo(policy, 1500);
    expect(nextWakeAt(policy, state, at(350))).toBe(at(361));
    const due = evaluate({ policy, state, now: at(361), observed });
    expect(due.decisions).toHaveLength(0);
    expect(due.alerts).toHaveLength(0);
    expect(due.state.plans!['slow']!.verification).toMatchObject({ status: 'passed' });
  });

  it('records what a passed check read, and its recovery decisions carry the verdict', () => {
    const policy = verified('rollback', undefined, { recovery: { after: '1m' } });
    const run = runTo(policy, 1500);
    const due = evaluate({ policy, state: run.state, now: at(361), observed });
    const cleared = evaluate({
      policy,
      state: due.state,
      samples: [{ metric: 'http_p95_ms', value: 100, timestamp: at(400) }],
      observed,
    });
    const recovering = evaluate({ policy, state: cleared.state, now: at(461), observed });
    expect(recovering.decisions[0]!.plan).toMatchObject({
      phase: 'revert',
      verification: {
        status: 'passed',
        before: { before_http_p95_ms: 3000 },
        after: { http_p95_ms: 1500 },
        checkedAt: at(361),
      },
    });
  });

  it('rolls the run back at once, last step first, straight to the values from before, and alerts until done', () => {
    const policy = verified('rollback');
    const run = runTo(policy, 4000);
    const due = evaluate({ policy, state: run.state, now: at(361), observed });
    expect(due.alerts).toEqual([
      expect.objectContaining({
        status: 'firing',
        source: 'rollback',
        labels: expect.objectContaining({ alertname: 'SurgePlanRollback', rule: 'slow', severity: 'SEV-2' }),
      }),
    ]);
    expect(due.alerts[0]!.annotations.description).toMatch(/http_p95_ms < before_http_p95_ms: false/);
    expect(due.decisions).toEqual([
      expect.objectContaining({ target: pool, from: 60, to: 20, plan: expect.objectContaining({ phase: 'revert' }) }),
    ]);
    expect(due.decisions[0]!.explanation.summary).toMatch(
      /verification failed \(http_p95_ms < before_http_p95_ms: false .*\); rolling back/,
    );
    // The rollback and its alert carry the snapshot from the run's start and the figures at the check.
    const verdict = {
      status: 'failed',
      expr: 'http_p95_ms < before_http_p95_ms',
      checkedAt: at(361),
      before: { before_http_p95_ms: 3000 },
      after: { http_p95_ms: 4000 },
    };
    expect(due.decisions[0]!.plan!.verification).toEqual(verdict);
    expect(due.alerts[0]!.plan).toEqual(
      expect.objectContaining({ runId: due.decisions[0]!.plan!.runId, verification: verdict }),
    );
    // Still breaching: a rollback does not wait for quiet, nor for `every`.
    const second = onPlanResults({
      policy,
      state: due.state,
      results: [applied(due.decisions[0]!, at(362))],
      now: at(362),
      observed,
    });
    expect(second.decisions).toEqual([expect.objectContaining({ setting: 'replicas', from: 8, to: 4 })]);
    const done = onPlanResults({
      policy,
      state: second.state,
      results: [applied(second.decisions[0]!, at(363))],
      now: at(363),
      observed,
    });
    expect(done.state.plans!['slow']!.phase).toBe('done');
    // Rolled back, but the breach goes on: the alert keeps firing, so people hear of it.
    expect(done.alerts).toEqual([]);
    // The breach goes on, but this breach's run is done: no new run on top of it.
    const later = evaluate({
      policy,
      state: done.state,
      samples: [{ metric: 'http_p95_ms', value: 4000, timestamp: at(500) }],
      observed,
    });
    expect(later.decisions).toHaveLength(0);
    expect(later.alerts).toEqual([]);
    const cleared = evaluate({
      policy,
      state: later.state,
      samples: [{ metric: 'http_p95_ms', value: 100, timestamp: at(510) }],
      observed,
    });
    expect(cleared.alerts).toEqual([
      expect.objectContaining({ status: 'resolved', source: 'rollback', endsAt: at(510), startsAt: at(361) }),
    ]);
  });

  it('with notify only alerts, and fails when it cannot judge (a metric never seen)', () => {
    const policy = verified('notify', 'http_error_rate_percent < 2');
    const run = runTo(policy, 4000);
    const due = evaluate({ policy, state: run.state, now: at(361), observed });
    expect(due.decisions).toHaveLength(0);
    expect(due.alerts).toEqual([expect.objectContaining({ source: 'verification-failed', status: 'firing' })]);
    expect(due.state.plans!['slow']!.verification!.detail).toMatch(/cannot be judged/);
    expect(due.state.plans!['slow']!.phase).toBe('applied');
  });
});

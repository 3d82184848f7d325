import type { CostModel, ScaleDecision } from '@surge/contracts';
import { parsePolicyText, PolicyValidationError } from '@surge/policy';
import { describe, expect, it } from 'vitest';
import { evaluate, type EvaluationInput } from './evaluate';
import type { OperatorVerdict } from './plan-approval';
import { planRunIdOf } from './plan-ids';
import { nextPlanDue } from './plan-wake';
import { emptyState, type TargetState } from './state';
import { at, testPolicy } from './testing';

const pool = { id: 'db/pool', kind: 'PgBouncerPool' };
const observed = (target: { id: string }, setting: string) =>
  target.id === pool.id && setting === 'default_pool_size' ? 20 : undefined;

// Runbook 003's escalation: a step that costs more than its threshold waits for an operator.
function approvalPolicy(approval: Record<string, unknown>, extra: Record<string, unknown> = {}) {
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
        plan: {
          approval,
          ...extra,
          steps: [
            { name: 'app', scaleTo: 10 },
            { name: 'pool', target: pool, setting: 'default_pool_size', scaleTo: 22 },
          ],
        },
      },
    ],
  });
}

const replicasAbove4 = { above: { replicas: 4 }, timeout: '10m', onTimeout: 'skip' };
type Extra = Pick<EvaluationInput, 'verdicts' | 'costs'>;

/** Fires the rule at 120 s from a current of 4, then evaluates at each later second with the same inputs. */
function run(policy: ReturnType<typeof approvalPolicy>, later: number[], extra: Extra = {}) {
  let state: TargetState = emptyState(4);
  const decisions: ScaleDecision[] = [];
  const alerts: ReturnType<typeof evaluate>['alerts'] = [];
  for (const seconds of [0, 120, ...later]) {
    const sample = { metric: 'http_p95_ms', value: 6000, timestamp: at(seconds) };
    const out = evaluate({ policy, state, samples: [sample], observed, ...extra });
    state = out.state;
    decisions.push(...out.decisions);
    alerts.push(...out.alerts.filter((alert) => alert.labels['alertname'] === 'SurgePlanApprovalNeeded'));
  }
  const planRun = state.plans!['p95-degradation']!;
  return { state, decisions, alerts, planRun };
}

const verdictFor =
  (runId: () => string, step: number, verdict: OperatorVerdict): Extra['verdicts'] =>
  (id, index) =>
    id === runId() && index === step ? verdict : undefined;

const runIdAt120 = (policy: ReturnType<typeof approvalPolicy>) =>
  planRunIdOf(policy.target.id, policy.name, 'p95-degradation', at(0));

describe('plan step approval', () => {
  it('holds a step that adds more replicas than allowed, and alerts with its size and deadline', () => {
    const policy = approvalPolicy(replicasAbove4);
    const { decisions, alerts, planRun, state } = run(policy, [180]);
    expect(decisions).toEqual([]);
    expect(planRun.steps[0]).toMatchObject({ status: 'awaiting-approval', before: 4, to: 10 });
    expect(planRun.steps[0]!.approval).toMatchObject({ requestedAt: at(120), deadline: at(720), added: 6 });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: 'firing', labels: { severity: 'SEV-1' } });
    expect(alerts[0]!.annotations).toMatchObject({
      size: '6 replicas',
      deadline: `${new Date(at(720)).toISOString()} (then skip)`,
    });
    expect(alerts[0]!.annotations.summary).toContain('replicas 4 → 10');
    // Nothing else to wait for: the deadline is what wakes the run.
    expect(nextPlanDue(policy, state, at(180))).toBe(at(720));
  });

  it('decides a step within the threshold at once', () => {
    const { decisions, alerts } = run(approvalPolicy({ ...replicasAbove4, above: { replicas: 6 } }), []);
    expect(decisions.map((d) => [d.setting, d.to])).toEqual([['replicas', 10]]);
    expect(alerts).toEqual([]);
  });

  it('prices a step with the target’s cost model: units added x perUnitHour x horizonHours', () => {
    const model: CostModel = { perUnitHour: 1.2, currency: 'USD', horizonHours: 730 };
    const costs: Extra['costs'] = (target, setting) =>
      target.id === policy(0).target.id && setting === 'replicas' ? model : undefined;
    function policy(above: number) {
      return approvalPolicy({ ...replicasAbove4, above: { cost: above } });
    }
    // 6 replicas x 1.2 x 730 h = 5256 USD.
    const held = run(policy(5000), [], { costs });
    expect(held.decisions).toEqual([]);
    expect(held.planRun.steps[0]!.approval).toMatchObject({ cost: 5256, currency: 'USD' });
    expect(held.alerts[0]!.annotations['size']).toBe('6 replicas, 5256.00 USD');
    expect(run(policy(6000), [], { costs }).decisions).toHaveLength(1);
    // Without a cost model the cost is unknown: the step asks rather than spend unseen.
    const unknown = run(policy(6000), []);
    expect(unknown.decisions).toEqual([]);
    expect(unknown.planRun.steps[0]!.approval!.why).toContain('cost unknown');
  });

  it('decides the step once approved, naming who approved it, and resolves the alert', () => {
    const policy = approvalPolicy(replicasAbove4);
    const verdicts = verdictFor(() => runIdAt120(policy), 0, {
      verdict: 'approve',
      actor: 'alice',
      reason: 'budget ok',
      time: at(150),
    });
    const { decisions, alerts, planRun } = run(policy, [180], { verdicts });
    // At 120 s the answer is already there: asked and approved in one evaluation.
    expect(decisions).toHaveLength(1);
    expect(decisions[0]!.plan).toMatchObject({ step: 0, approvedBy: 'alice' });
    expect(decisions[0]!.explanation.summary).toContain('approved by alice: budget ok');
    expect(alerts.map((a) => a.status)).toEqual(['firing', 'resolved']);
    expect(planRun.steps[0]!.approval!.answer).toMatchObject({ verdict: 'approved', by: 'alice' });
  });

  it('fails a rejected step: onStepFailure stop ends the run, continue goes on with the next step', () => {
    const reject = (policy: ReturnType<typeof approvalPolicy>) =>
      verdictFor(() => runIdAt120(policy), 0, { verdict: 'reject', actor: 'bob', time: at(130) });
    const stop = approvalPolicy(replicasAbove4);
    const stopped = run(stop, [180], { verdicts: reject(stop) });
    expect(stopped.decisions).toEqual([]);
    expect(stopped.planRun).toMatchObject({ phase: 'stopped' });
    expect(stopped.planRun.steps[0]).toMatchObject({ status: 'failed', outcome: 'rejected by bob' });
    const goOn = approvalPolicy(replicasAbove4, { onStepFailure: 'continue' });
    const continued = run(goOn, [180], { verdicts: reject(goOn) });
    expect(continued.decisions.map((d) => [d.setting, d.to])).toEqual([['default_pool_size', 22]]);
    expect(continued.decisions[0]!.plan!.approvedBy).toBeUndefined();
  });

  it('on timeout skips the step with onTimeout skip, and decides it with onTimeout apply', () => {
    const skipped = run(approvalPolicy(replicasAbove4), [719, 720]);
    expect(skipped.decisions.map((d) => [d.setting, d.to])).toEqual([['default_pool_size', 22]]);
    expect(skipped.planRun.steps[0]).toMatchObject({ status: 'skipped', outcome: 'skipped: no approval within 600s' });
    expect(skipped.alerts.map((a) => a.status)).toEqual(['firing', 'resolved']);
    const applied = run(approvalPolicy({ ...replicasAbove4, onTimeout: 'apply' }), [719, 720]);
    expect(applied.decisions.map((d) => [d.setting, d.to])).toEqual([['replicas', 10]]);
    expect(applied.decisions[0]!.explanation.summary).toContain('no approval within 600s');
  });

  it('ignores an answer for another run, for another step, or given after the deadline', () => {
    const policy = approvalPolicy(replicasAbove4);
    const approve = (time: number): OperatorVerdict => ({ verdict: 'approve', actor: 'alice', time });
    // An earlier breach's run of the same rule: its id differs, so its answer is not this run's.
    const earlier = planRunIdOf(policy.target.id, policy.name, 'p95-degradation', at(-3600));
    expect(run(policy, [180], { verdicts: verdictFor(() => earlier, 0, approve(at(150))) }).decisions).toEqual([]);
    const otherStep = verdictFor(() => runIdAt120(policy), 1, approve(at(150)));
    expect(run(policy, [180], { verdicts: otherStep }).planRun.steps[0]!.status).toBe('awaiting-approval');
    const late = run(policy, [720], { verdicts: verdictFor(() => runIdAt120(policy), 0, approve(at(721))) });
    expect(late.planRun.steps[0]).toMatchObject({ status: 'skipped' });
  });

  it('withdraws the request when the condition clears while the step waits, resolving its alert', () => {
    const policy = approvalPolicy(replicasAbove4);
    const { state } = run(policy, []);
    let current = state;
    const resolved: string[] = [];
    for (const seconds of [130, 300]) {
      const sample = { metric: 'http_p95_ms', value: 100, timestamp: at(seconds) };
      const out = evaluate({ policy, state: current, samples: [sample], observed });
      current = out.state;
      for (const alert of out.alerts)
        if (alert.labels['alertname'] === 'SurgePlanApprovalNeeded') resolved.push(alert.status);
    }
    const planRun = current.plans!['p95-degradation']!;
    expect(planRun.steps[0]!.approval!.answer).toMatchObject({ verdict: 'withdrawn' });
    expect(planRun.steps[0]!.status).toBe('skipped');
    expect(resolved).toEqual(['resolved']);
  });

  it('refuses an approval without a threshold, naming the field', () => {
    const text = (approval: object) =>
      JSON.stringify({
        apiVersion: 'surge.dev/v1',
        kind: 'ScalingPolicy',
        metadata: { name: 'shop' },
        spec: {
          target: { id: 'shop', kind: 'Deployment' },
          minReplicas: 1,
          maxReplicas: 10,
          metrics: [],
          rules: [
            {
              name: 'busy',
              when: { metric: 'rps', op: '>', value: 1 },
              severity: 'P1',
              plan: { steps: [{ scaleTo: 5, approval }] },
            },
          ],
        },
      });
    const error = (() => {
      try {
        parsePolicyText(text({ above: {}, timeout: '5m', onTimeout: 'skip' }), 'shop.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect(String((error as Error).message)).toMatch(/plan\.steps\.0\.approval\.above.*needs replicas, cost or both/);
    expect(() =>
      parsePolicyText(text({ above: { replicas: 2 }, timeout: '5m', onTimeout: 'maybe' }), 'shop.yaml'),
    ).toThrow(/approval\.onTimeout/);
  });
});

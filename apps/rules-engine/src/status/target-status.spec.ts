import { targetStatus } from '@surge/contracts';
import { emptyState, observeSamples, type TargetState } from '@surge/decision-core';
import { at, testPolicy } from '@surge/decision-core/testing';
import type { ScalingPolicy } from '@surge/policy';
import { describe, expect, it } from 'vitest';
import { buildTargetStatus, statusLine } from './target-status';

/** A target running `replicas`, with a CPU reading taken `cpuAgeSeconds` before the status is read at at(60). */
function stateOf(replicas: number, cpu: number, cpuAgeSeconds = 10): TargetState {
  return observeSamples(
    emptyState(),
    [
      { metric: 'replicas', value: replicas, timestamp: at(0) },
      { metric: 'cpu_utilization', value: cpu, timestamp: at(60 - cpuAgeSeconds) },
    ],
    'replicas',
  );
}

const statusOf = (policy: ScalingPolicy, state: TargetState, globalPause = false) => {
  const status = buildTargetStatus({ policy, state, now: at(60), globalPause });
  // Every status is what the contract says: surgectl validates it with the same schema.
  expect(targetStatus.parse(status)).toEqual(status);
  return status;
};

const condition = (status: ReturnType<typeof statusOf>, type: string) => {
  const found = status.conditions.find((c) => c.type === type)!;
  return [found.status, found.reason];
};

describe('buildTargetStatus', () => {
  it('scaling normally: 2 replicas at 100 % for 50 % would go to 4, from a valid metric, within range', () => {
    const status = statusOf(testPolicy(), stateOf(2, 100));
    expect(status).toMatchObject({ current: 2, desired: 4, evaluatedAt: at(60) });
    expect(status.metrics).toEqual([
      expect.objectContaining({ metric: 'cpu_utilization', value: 100, target: 50, recommendation: 4, missing: false }),
    ]);
    expect(condition(status, 'AbleToScale')).toEqual(['True', 'RescaleRecommended']);
    expect(condition(status, 'ScalingActive')).toEqual(['True', 'ValidMetricFound']);
    expect(condition(status, 'ScalingLimited')).toEqual(['False', 'DesiredWithinRange']);
    expect(status.constraints.map((c) => c.name)).toContain('bounds');
    expect(status.summary).toMatch(/^would decide replicas 2 → 4/);
  });

  it('limited by max: the would-be decision is capped at maxReplicas', () => {
    const status = statusOf(testPolicy({ maxReplicas: 3 }), stateOf(2, 100));
    expect(status.desired).toBe(3);
    expect(condition(status, 'ScalingLimited')).toEqual(['True', 'TooManyReplicas']);
    expect(status.constraints.find((c) => c.name === 'bounds')).toMatchObject({ before: 4, after: 3 });
  });

  it('limited by max with nothing to decide: already at max, the metric asks for more', () => {
    const status = statusOf(testPolicy({ maxReplicas: 3 }), stateOf(3, 100));
    expect(status).toMatchObject({ current: 3, desired: 3, constraints: [] });
    expect(condition(status, 'ScalingLimited')).toEqual(['True', 'TooManyReplicas']);
    expect(condition(status, 'AbleToScale')).toEqual(['True', 'ReadyForNewScale']);
  });

  it('stabilized scale-down: a low reading waits out the scale-down window', () => {
    const status = statusOf(testPolicy(), stateOf(4, 10));
    expect(status.metrics[0]!.recommendation).toBe(1);
    expect(status).toMatchObject({ current: 4, desired: 4 });
    expect(condition(status, 'AbleToScale')).toEqual(['True', 'ScaleDownStabilized']);
    expect(condition(status, 'ScalingLimited')).toEqual(['False', 'DesiredWithinRange']);
  });

  it('missing metric: no fresh sample within metricStaleness, so nothing is computed', () => {
    const policy = testPolicy({ metricStaleness: '30s' });
    const status = statusOf(policy, stateOf(2, 100, 45));
    expect(status.metrics[0]).toMatchObject({ missing: true, value: 100, recommendation: null });
    expect(status.desired).toBe(2);
    const active = status.conditions.find((c) => c.type === 'ScalingActive')!;
    expect([active.status, active.reason]).toEqual(['False', 'FailedGetMetric']);
    expect(active.message).toContain('cpu_utilization: no sample for more than 30s');
    expect(statusLine(status).targets).toBe('cpu_utilization: <unknown>/50%');
  });

  it('paused: nothing would be decided, and AbleToScale says why', () => {
    const status = statusOf(testPolicy({ paused: true }), stateOf(2, 100));
    expect(status).toMatchObject({ current: 2, desired: 2, policy: { paused: true } });
    expect(condition(status, 'AbleToScale')).toEqual(['False', 'Paused']);
    expect(condition(status, 'ScalingActive')).toEqual(['True', 'ValidMetricFound']);
    expect(statusLine(status).reason).toBe('Paused');
  });

  it('globally paused and dry-run have reasons of their own', () => {
    expect(condition(statusOf(testPolicy(), stateOf(2, 100), true), 'AbleToScale')).toEqual([
      'False',
      'GloballyPaused',
    ]);
    const dry = statusOf(testPolicy({ dryRun: true }), stateOf(2, 100));
    expect(condition(dry, 'AbleToScale')).toEqual(['False', 'DryRun']);
    expect(dry.desired).toBe(4);
  });

  it('an unknown current value: FailedGetScale, and the rules are shown as stored', () => {
    const policy = testPolicy({
      rules: [
        {
          name: 'hot',
          when: { metric: 'cpu_utilization', op: '>', value: 90 },
          for: '1m',
          action: { scaleBy: '+50%' },
        },
      ],
    });
    const status = statusOf(policy, emptyState());
    expect(status).toMatchObject({ current: null, desired: null });
    expect(condition(status, 'AbleToScale')).toEqual(['False', 'FailedGetScale']);
    expect(status.rules).toEqual([expect.objectContaining({ name: 'hot', action: 'scaleBy +50%', holding: false })]);
  });

  it('tells how long a rule has held and what it asks for once it fired', () => {
    const policy = testPolicy({
      rules: [
        { name: 'hot', when: { metric: 'cpu_utilization', op: '>', value: 90 }, for: '30s', action: { scaleTo: 8 } },
      ],
    });
    const state = { ...stateOf(2, 100), rules: { hot: { holdingSince: at(20), lastFiredAt: null, target: null } } };
    const [rule] = statusOf(policy, state).rules;
    expect(rule).toMatchObject({ holding: true, heldSeconds: 40, fired: true, asks: 8, forSeconds: 30 });
  });

  it('reads without changing the state it was given', () => {
    const state = stateOf(2, 100);
    const before = structuredClone(state);
    statusOf(testPolicy(), state);
    expect(state).toEqual(before);
  });

  it('shows a plan rule’s run as one unit with its steps, and the pipeline’s own desired value', () => {
    const policy = testPolicy({
      metrics: [],
      rules: [
        {
          name: 'slow',
          when: { metric: 'http_p95_ms', op: '>', value: 5000 },
          plan: {
            steps: [
              { scaleTo: 6 },
              { target: { id: 'db/pool', kind: 'PgBouncerPool' }, setting: 'default_pool_size', scaleTo: 60 },
            ],
          },
        },
      ],
    });
    const state = observeSamples(
      emptyState(),
      [
        { metric: 'replicas', value: 2, timestamp: at(0) },
        { metric: 'http_p95_ms', value: 9000, timestamp: at(50) },
      ],
      'replicas',
    );
    const status = statusOf(policy, state);
    expect(status.plans).toEqual([
      expect.objectContaining({
        rule: 'slow',
        phase: 'applying',
        steps: [
          expect.objectContaining({ name: 'step-0', status: 'decided', before: 2, to: 6 }),
          expect.objectContaining({
            name: 'step-1',
            status: 'pending',
            target: { kind: 'PgBouncerPool', id: 'db/pool' },
          }),
        ],
      }),
    ]);
    expect(status.rules[0]!.action).toBe('plan of 2 steps');
  });
});

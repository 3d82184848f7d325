import { parsePolicyText } from '@surge/policy';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rulesEngineEnv } from '../config/rules-engine.config';
import { ControlState } from './control-state.service';

const config = rulesEngineEnv.parse({ KAFKA_BROKERS: '127.0.0.1:9092' });
const policy = parsePolicyText(
  'apiVersion: surge.dev/v1\nkind: ScalingPolicy\nmetadata: { name: shop }\nspec:\n  target: { id: demo/shop, kind: LocalPool }\n  maxReplicas: 4\n  metrics: [{ metric: cpu, target: { type: Utilization, averageUtilization: 50 } }]\n',
  'shop.yaml',
)[0]!;
const event = (type: 'pause' | 'resume' | 'dry-run-on' | 'dry-run-off', name?: string) => ({
  schemaVersion: 1 as const,
  type,
  policy: name,
  actor: 'ops',
  time: 0,
});

describe('ControlState', () => {
  it('pauses and resumes everything, or one policy', () => {
    const control = new ControlState(config);
    control.apply(event('pause'));
    expect(control.globalPause).toBe(true);
    control.apply(event('resume'));
    control.apply(event('pause', 'shop'));
    expect(control.globalPause).toBe(false);
    expect(control.effective(policy).paused).toBe(true);
    control.apply(event('resume', 'shop'));
    expect(control.effective(policy).paused).toBe(false);
  });

  it('turns dry-run on and off per policy, leaving the policy file untouched', () => {
    const control = new ControlState(config);
    control.apply(event('dry-run-on', 'shop'));
    expect(control.effective(policy)).toMatchObject({ dryRun: true, version: policy.version });
    expect(policy.dryRun).toBe(false);
    control.apply(event('dry-run-off', 'shop'));
    expect(control.effective(policy).dryRun).toBe(false);
  });

  it('lists the global pause and the effective pause of each policy for the surge_paused gauge', () => {
    const control = new ControlState(config);
    expect(control.pauses([policy])).toEqual([
      ['global', false],
      ['policy:shop', false],
    ]);
    control.apply(event('pause', 'shop'));
    control.apply(event('pause'));
    expect(control.pauses([policy])).toEqual([
      ['global', true],
      ['policy:shop', true],
    ]);
  });

  it('stays paused by the environment whatever the control topic says: an old resume cannot lift it', () => {
    const control = new ControlState(
      rulesEngineEnv.parse({ KAFKA_BROKERS: 'k:9092', SURGE_RULES_GLOBAL_PAUSE: 'true' }),
    );
    control.apply(event('resume'));
    expect(control.globalPause).toBe(true);
  });

  it('starts paused when the environment says so', () => {
    expect(
      new ControlState(rulesEngineEnv.parse({ KAFKA_BROKERS: 'k:9092', SURGE_RULES_GLOBAL_PAUSE: 'true' })).globalPause,
    ).toBe(true);
  });

  describe('a pause with an expiry', () => {
    afterEach(() => vi.useRealTimers());
    const pause = (until: number, name?: string) => ({
      type: 'pause' as const,
      policy: name,
      actor: 'ops',
      time: 1000,
      until,
    });

    it('holds until its expiry, then reads resumed in the gauge, the policy and the global pause, by itself', () => {
      vi.useFakeTimers({ now: 1000 });
      const control = new ControlState(config);
      const changes = vi.fn();
      control.onChange(changes);
      control.apply(pause(3000));
      control.apply(pause(5000, 'shop'));
      expect(changes).toHaveBeenCalledTimes(2);
      expect(control.pauses([policy])).toEqual([
        ['global', true],
        ['policy:shop', true],
      ]);
      vi.advanceTimersByTime(2000);
      expect(control.globalPause).toBe(false);
      expect(control.effective(policy).paused).toBe(true);
      expect(changes).toHaveBeenCalledTimes(3);
      vi.advanceTimersByTime(2000);
      expect(control.pauses([policy])).toEqual([
        ['global', false],
        ['policy:shop', false],
      ]);
      expect(changes).toHaveBeenCalledTimes(4);
      expect(control.operatorPauses()).toEqual([]);
      expect(control.pauseChangedAt(undefined)).toBe(3000);
      control.onModuleDestroy();
    });

    it('lists the operator pauses holding now with the time each was set', () => {
      vi.useFakeTimers({ now: 1000 });
      const control = new ControlState(config);
      control.apply(pause(3000, 'shop'));
      control.apply({ ...event('pause'), time: 900 });
      expect(control.operatorPauses()).toEqual([{ since: 900 }, { policy: 'shop', since: 1000 }]);
      control.onModuleDestroy();
    });

    it('stays paused by the environment when the operator pause expires', () => {
      vi.useFakeTimers({ now: 1000 });
      const control = new ControlState(
        rulesEngineEnv.parse({ KAFKA_BROKERS: 'k:9092', SURGE_RULES_GLOBAL_PAUSE: 'true' }),
      );
      control.apply(pause(2000));
      vi.advanceTimersByTime(5000);
      expect(control.globalPause).toBe(true);
      control.onModuleDestroy();
    });
  });
});

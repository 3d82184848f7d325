import { describe, expect, it } from 'vitest';
import { GuardrailSwitch } from './guardrail.switch';

describe('GuardrailSwitch', () => {
  it('follows global control events and ignores per-policy ones', () => {
    const guard = new GuardrailSwitch({ paused: false, dryRun: false });
    guard.apply({ type: 'pause', policy: 'web-cpu', time: 1 });
    expect(guard.current()).toEqual({ paused: false, dryRun: false });
    guard.apply({ type: 'pause', policy: undefined, time: 2 });
    guard.apply({ type: 'dry-run-on', policy: undefined, time: 3 });
    expect(guard.current()).toEqual({ paused: true, dryRun: true });
    guard.apply({ type: 'resume', policy: undefined, time: 4 });
    guard.apply({ type: 'policy-changed', policy: undefined, time: 5 });
    expect(guard.current()).toEqual({ paused: false, dryRun: true });
  });

  it('keeps a pause or dry-run set at boot, whatever the control topic says', () => {
    const guard = new GuardrailSwitch({ paused: true, dryRun: true });
    guard.apply({ type: 'resume', policy: undefined, time: 6 });
    guard.apply({ type: 'dry-run-off', policy: undefined, time: 7 });
    expect(guard.current()).toEqual({ paused: true, dryRun: true });
  });

  it("adds the operator's pause to a boot setting without one", () => {
    const guard = new GuardrailSwitch({ paused: false, dryRun: true });
    guard.apply({ type: 'pause', policy: undefined, time: 8 });
    expect(guard.current()).toEqual({ paused: true, dryRun: true });
  });

  it('hands out copies, so a caller cannot flip the state', () => {
    const guard = new GuardrailSwitch({ paused: false, dryRun: false });
    guard.current().paused = true;
    expect(guard.current().paused).toBe(false);
  });

  it('stops obeying a global pause once its expiry has passed, before any resume arrives', () => {
    const guard = new GuardrailSwitch({ paused: false, dryRun: false });
    guard.apply({ type: 'pause', policy: undefined, time: 1000, until: 5000 });
    expect(guard.current(4999).paused).toBe(true);
    expect(guard.current(5000).paused).toBe(false);
  });
});

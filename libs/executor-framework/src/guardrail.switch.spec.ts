import { describe, expect, it } from 'vitest';
import { GuardrailSwitch } from './guardrail.switch';

describe('GuardrailSwitch', () => {
  it('follows global control events and ignores per-policy ones', () => {
    const guard = new GuardrailSwitch({ paused: false, dryRun: false });
    guard.apply({ type: 'pause', policy: 'web-cpu' });
    expect(guard.current()).toEqual({ paused: false, dryRun: false });
    guard.apply({ type: 'pause', policy: undefined });
    guard.apply({ type: 'dry-run-on', policy: undefined });
    expect(guard.current()).toEqual({ paused: true, dryRun: true });
    guard.apply({ type: 'resume', policy: undefined });
    guard.apply({ type: 'policy-changed', policy: undefined });
    expect(guard.current()).toEqual({ paused: false, dryRun: true });
  });

  it('hands out copies, so a caller cannot flip the state', () => {
    const guard = new GuardrailSwitch({ paused: false, dryRun: false });
    guard.current().paused = true;
    expect(guard.current().paused).toBe(false);
  });
});

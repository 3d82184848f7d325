import type { ActionResult } from '@surge/contracts';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ExecutorMetrics } from './executor.metrics';
import { GuardrailSwitch } from './guardrail.switch';

const result = (status: ActionResult['status']) =>
  ({ status, target: { id: 'shop/web', kind: 'Deployment' }, durationMs: 40 }) as ActionResult;

describe('ExecutorMetrics', () => {
  it('counts final results as surge_actions_total by status and kind', async () => {
    const registry = new Registry();
    const metrics = new ExecutorMetrics(registry);
    metrics.recordResult(result('applied'));
    metrics.recordResult(result('applied'));
    metrics.recordResult(result('failed'));
    const text = await registry.metrics();
    expect(text).toContain('surge_actions_total{status="applied",kind="Deployment"} 2');
    expect(text).toContain('surge_actions_total{status="failed",kind="Deployment"} 1');
    expect(text).toContain('surge_executor_action_duration_seconds_count{status="failed",kind="Deployment"} 1');
  });

  it('reports the global pause as surge_paused{scope="global"}, following control events', async () => {
    const registry = new Registry();
    const guardrails = new GuardrailSwitch({ paused: false, dryRun: false });
    new ExecutorMetrics(registry, () => guardrails.current().paused);
    expect(await registry.metrics()).toContain('surge_paused{scope="global"} 0');
    guardrails.apply({ type: 'pause', policy: undefined, time: 1 });
    expect(await registry.metrics()).toContain('surge_paused{scope="global"} 1');
  });
});

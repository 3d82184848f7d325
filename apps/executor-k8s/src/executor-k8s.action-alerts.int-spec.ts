import { readFileSync } from 'node:fs';
import { alertEvent, scaleDecision } from '@surge/contracts';
import { ExecutorRegistry } from '@surge/executor-framework';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { TargetCatalog, targetsFileSchema } from '@surge/executor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

/**
 * A decision the API server cannot carry out (its Deployment does not exist yet) sends SurgeActionFailed on the
 * alerts topic, and the next decision on the same target and setting, applied once the Deployment exists
 * (by an executor restarted meanwhile), resolves it: through real Kafka and Redis, against the apps/v1 stand-in.
 */
describe('executor-k8s alerts for failed actions', () => {
  const api = new KubeApiStandIn();
  const bed = new ExecutorTestBed();
  const target = { kind: 'Deployment', id: 'shop/late' };
  const registry = () => new ExecutorRegistry().register(new KubernetesScaleAdapter());
  let catalog: TargetCatalog;

  beforeAll(async () => {
    await api.start();
    process.env['TEST_KUBECONFIG_ACTION_ALERTS'] = readFileSync(api.writeKubeconfig(), 'utf8');
    catalog = new TargetCatalog(
      targetsFileSchema.parse({
        targets: [
          {
            id: target.id,
            kind: target.kind,
            connection: { env: 'TEST_KUBECONFIG_ACTION_ALERTS' },
            bounds: { min: 1, max: 20 },
          },
        ],
      }),
    );
    await bed.start();
    await bed.startRuntime(registry(), catalog);
  });
  afterAll(async () => {
    await bed.stop();
    await api.stop();
  });

  it('fires SurgeActionFailed for a failed decision and resolves it when a later one is applied, across a restart', async () => {
    const failing = scaleDecision.parse(
      bed.decision({ target, from: 2, to: 5, severity: 'critical', ruleSeverity: 'SEV-2', policy: 'shop-late' }),
    );
    await bed.produce(failing);
    const result = await bed.waitFor('the failed result', () => bed.resultsFor(failing.decisionId)[0]);
    expect(result.status).toBe('failed');
    const firing = alertEvent.parse(await bed.waitFor('the firing alert', () => bed.alerts[0]));
    expect(firing).toMatchObject({
      status: 'firing',
      source: 'action-failed',
      labels: {
        alertname: 'SurgeActionFailed',
        target: target.id,
        policy: 'shop-late',
        rule: 'test',
        severity: 'SEV-2',
      },
      severityRank: 3,
      endsAt: null,
    });

    // A restart in between: the open alert is kept in Redis, so the new process still resolves it.
    await bed.stopRuntimes();
    await bed.startRuntime(registry(), catalog);
    api.addWorkload('shop', 'Deployment', 'late', 2);
    const applied = scaleDecision.parse(bed.decision({ target, from: 2, to: 4, policy: 'shop-late' }));
    await bed.produce(applied);
    const resolved = alertEvent.parse(await bed.waitFor('the resolve', () => bed.alerts[1]));
    expect(bed.resultsFor(applied.decisionId)[0]?.status).toBe('applied');
    expect(resolved).toMatchObject({ status: 'resolved', alertId: firing.alertId, startsAt: firing.startsAt });
    expect(resolved.endsAt).toBeGreaterThanOrEqual(firing.startsAt);
    expect(bed.alerts).toHaveLength(2);
  }, 60_000);
});

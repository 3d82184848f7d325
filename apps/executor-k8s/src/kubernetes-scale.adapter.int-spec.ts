import { readFileSync } from 'node:fs';
import { targetEntrySchema } from '@surge/executor-core';
import { ExecutorErrorCode, type ResolvedTarget } from '@surge/executor-framework';
import { KubeApiStandIn } from '@surge/executor-framework/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { KubernetesScaleAdapter } from './kubernetes-scale.adapter';

describe('KubernetesScaleAdapter against the apps/v1 stand-in', () => {
  const api = new KubeApiStandIn();
  let kubeconfig: string;
  let adapter: KubernetesScaleAdapter;

  const target = (id: string, kind = 'Deployment', extra: Record<string, unknown> = {}): ResolvedTarget => ({
    entry: targetEntrySchema.parse({ id, kind, bounds: { min: 0, max: 20 }, ...extra }),
    connection: kubeconfig,
  });

  beforeAll(async () => {
    await api.start();
    kubeconfig = readFileSync(api.writeKubeconfig(), 'utf8');
    api.addWorkload('shop', 'Deployment', 'web', 2);
    api.addWorkload('shop', 'StatefulSet', 'db', 1);
    api.addWorkload('shop', 'Deployment', 'search', 3);
    api.hpas.push({ namespace: 'shop', name: 'search-hpa', kind: 'Deployment', targetName: 'search' });
    api.forbiddenNamespaces.add('kube-system');
  });
  afterAll(() => api.stop());
  beforeEach(() => {
    api.requests.length = 0;
    adapter = new KubernetesScaleAdapter();
  });

  it('reads then patches the Deployment scale subresource with a merge patch carrying the resourceVersion', async () => {
    const web = target('shop/web');
    expect(await adapter.read(web, 'replicas')).toBe(2);
    const version = api.workload('shop', 'Deployment', 'web')!.resourceVersion;
    await adapter.apply(web, 'replicas', 5, {} as never);
    expect(await adapter.readBack(web)).toBe(5);
    expect(api.requests.map(({ method, path, contentType, body }) => ({ method, path, contentType, body }))).toEqual([
      {
        method: 'GET',
        path: '/apis/apps/v1/namespaces/shop/deployments/web/scale',
        contentType: undefined,
        body: undefined,
      },
      {
        method: 'PATCH',
        path: '/apis/apps/v1/namespaces/shop/deployments/web/scale',
        contentType: 'application/merge-patch+json',
        body: { metadata: { resourceVersion: String(version) }, spec: { replicas: 5 } },
      },
      {
        method: 'GET',
        path: '/apis/apps/v1/namespaces/shop/deployments/web/scale',
        contentType: undefined,
        body: undefined,
      },
    ]);
    expect(api.requests.every((r) => r.authorization === `Bearer ${api.token}`)).toBe(true);
    // Calls share kept-alive connections instead of opening a new one (and a TLS handshake) per call.
    for (let i = 0; i < 5; i += 1) await adapter.read(web, 'replicas');
    expect(api.requests).toHaveLength(8);
    expect(new Set(api.requests.map((r) => r.remotePort)).size).toBeLessThanOrEqual(2);
    expect(api.workload('shop', 'Deployment', 'web')!.replicas).toBe(5);
  });

  it('uses the statefulsets path for a StatefulSet', async () => {
    const db = target('shop/db', 'StatefulSet');
    await adapter.read(db, 'replicas');
    await adapter.apply(db, 'replicas', 3, {} as never);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /apis/apps/v1/namespaces/shop/statefulsets/db/scale',
      'PATCH /apis/apps/v1/namespaces/shop/statefulsets/db/scale',
    ]);
    expect(api.workload('shop', 'StatefulSet', 'db')!.replicas).toBe(3);
  });

  it('maps 404, 403 and 409 to not-found, forbidden and a retryable conflict', async () => {
    await expect(adapter.read(target('shop/ghost'), 'replicas')).rejects.toMatchObject({
      code: ExecutorErrorCode.NotFound,
    });
    await expect(adapter.read(target('kube-system/coredns'), 'replicas')).rejects.toMatchObject({
      code: ExecutorErrorCode.Forbidden,
      message: expect.stringContaining('HTTP 403'),
    });
    const web = target('shop/web');
    await adapter.read(web, 'replicas');
    api.conflictsToInject = 1;
    await expect(adapter.apply(web, 'replicas', 4, {} as never)).rejects.toMatchObject({
      code: ExecutorErrorCode.Conflict,
    });
  });

  it('refuses a Deployment an HPA already scales, unless the targets file allows it', async () => {
    await expect(adapter.check(target('shop/search'))).rejects.toMatchObject({
      code: ExecutorErrorCode.Refused,
      message:
        'Deployment shop/search is already scaled by HorizontalPodAutoscaler shop/search-hpa; set allowHpaConflict to override',
    });
    expect(api.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers',
      'GET /apis/keda.sh/v1alpha1/namespaces/shop/scaledobjects',
    ]);
    await expect(adapter.check(target('shop/web'))).resolves.toBeUndefined();
    await expect(
      adapter.check(target('shop/search', 'Deployment', { allowHpaConflict: true })),
    ).resolves.toBeUndefined();
  });

  it('publishes spec and status replicas as observed state', async () => {
    expect(await adapter.observe(target('shop/db', 'StatefulSet'))).toEqual({ replicas: 3, status_replicas: 3 });
  });
});

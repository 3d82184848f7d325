import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type KubernetesObject, validateKubernetesObject } from './kubernetes-object.validator';
import { named, renderKustomization } from './kustomize.render';
import { parseYamlStream, readRepoFile } from './repo-files';

// Applied with `kubectl apply -f` into the workloads' namespaces, so it is checked here rather than in an overlay.
const rbac = parseYamlStream(readRepoFile('k8s/base/executor-k8s-rbac.yaml')) as KubernetesObject[];
const roles = rbac.filter((o) => o.kind === 'Role') as any[];
const bindings = rbac.filter((o) => o.kind === 'RoleBinding') as any[];

describe('executor-k8s RBAC (k8s/base/executor-k8s-rbac.yaml)', () => {
  it('validates against the Kubernetes schemas and grants nothing cluster-wide', () => {
    expect(rbac.flatMap((o) => validateKubernetesObject(o))).toEqual([]);
    expect(rbac.map((o) => o.kind).sort()).toEqual(['Role', 'RoleBinding']);
  });

  it('allows reading and patching the scale subresource, reading the workloads and listing autoscalers, nothing more', () => {
    for (const role of roles) {
      const grants = role.rules.flatMap((r: any) =>
        r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${res}:${v}`)),
      );
      expect(grants.sort()).toEqual([
        'deployments/scale:get',
        'deployments/scale:patch',
        'deployments:get',
        'horizontalpodautoscalers:list',
        'scaledobjects:list',
        'statefulsets/scale:get',
        'statefulsets/scale:patch',
        'statefulsets:get',
      ]);
      expect(JSON.stringify(role.rules)).not.toContain('*');
    }
  });

  it("binds the prod overlay's executor-k8s ServiceAccount in each role's namespace", () => {
    const prod = renderKustomization('k8s/overlays/prod');
    const account = named(prod, 'ServiceAccount', 'surge-executor-k8s');
    for (const binding of bindings) {
      const role = roles.find(
        (r) => r.metadata.name === binding.roleRef.name && r.metadata.namespace === binding.metadata.namespace,
      );
      expect(role, binding.metadata.name).toBeDefined();
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: account.metadata.name, namespace: account.metadata.namespace },
      ]);
    }
  });

  it('covers every namespace whose Deployments or StatefulSets the targets file lets Surge scale', () => {
    const targets = parse(readRepoFile('k8s/base/config/targets.yaml')).targets as { id: string; kind: string }[];
    const scaled = targets.filter((t) => ['Deployment', 'StatefulSet'].includes(t.kind)).map((t) => t.id.split('/')[0]);
    expect(scaled.length).toBeGreaterThan(0);
    const bound = new Set(bindings.map((b) => b.metadata.namespace));
    for (const namespace of scaled) expect(bound, namespace).toContain(namespace);
  });
});

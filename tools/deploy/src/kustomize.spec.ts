import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateKubernetesObject } from './kubernetes-object.validator';
import { byKind, named, renderKustomization } from './kustomize.render';
import { readRepoFile, SIGNING_ROLE_OF, SURGE_SERVICES } from './repo-files';
import { checkSurgeConfig } from './surge-config.check';

const OVERLAYS = { dev: 'surge-dev', prod: 'surge' } as const;
const SERVICES = Object.keys(SURGE_SERVICES);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

describe.each(Object.entries(OVERLAYS))('k8s/overlays/%s', (overlay, namespace) => {
  const objects = renderKustomization(`k8s/overlays/${overlay}`);
  const deployments = byKind(objects, 'Deployment');
  const podSpec = (name: string) => (named(objects, 'Deployment', name).spec as any).template.spec;

  it('renders with kustomize v2.0.3 and every object validates against its schema', () => {
    expect(objects.length).toBeGreaterThan(30);
    const problems = objects.flatMap((o) =>
      validateKubernetesObject(o).map((p) => `${o.kind}/${o.metadata.name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it(`puts everything in the ${namespace} namespace, which it creates`, () => {
    expect(named(objects, 'Namespace', namespace)).toBeDefined();
    for (const o of objects.filter((o) => !CLUSTER_SCOPED.has(o.kind)))
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(namespace);
  });

  it.each(SERVICES)('runs %s with probes, resources and a locked-down security context', (name) => {
    const spec = podSpec(name);
    expect(spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const [container] = spec.containers;
    expect(container.image).toBe(`surge/${name}:${overlay === 'dev' ? 'dev' : '0.1.0'}`);
    expect(container.ports).toEqual([{ name: 'http', containerPort: SURGE_SERVICES[name], protocol: 'TCP' }]);
    expect(container.env).toContainEqual({ name: 'PORT', value: String(SURGE_SERVICES[name]) });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    const service = named(objects, 'Service', name).spec as any;
    expect(service.ports).toEqual([{ name: 'http', port: SURGE_SERVICES[name], targetPort: 'http', protocol: 'TCP' }]);
    expect(service.selector).toMatchObject({ 'app.kubernetes.io/name': name });
  });

  it('references the secrets and never inlines one', () => {
    expect(byKind(objects, 'Secret')).toEqual([]);
    const rendered = JSON.stringify(objects);
    expect(rendered).not.toMatch(/postgres(ql)?:\/\/[^"\s]*:[^"\s@]*@/);
    for (const name of SERVICES) {
      const [container] = podSpec(name).containers;
      // Never a whole Secret: each workload names the keys it reads (kubernetes-security.spec.ts).
      expect(container.envFrom.filter((from: any) => from.secretRef)).toEqual([]);
      const literal = (container.env as { name: string; value?: string }[])
        .filter((e) => e.value !== undefined)
        .map((e) => e.name);
      for (const secret of ['DATABASE_URL', 'PGBOUNCER_ADMIN_URL', 'REDIS_URL', 'SURGE_ADMIN_TOKEN'])
        expect(literal).not.toContain(secret);
    }
    const config = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.startsWith('surge-config-')) as any;
    for (const key of Object.keys(config.data)) expect(key).not.toMatch(/TOKEN|PASSWORD|DATABASE_URL/);
  });

  it('mounts the waiting room’s key-encryption secret as a file, never inline', () => {
    const spec = podSpec('virtual-queue');
    const container = spec.containers.find((c: any) => c.name === 'virtual-queue');
    const env = container.env.find((e: any) => e.name === 'VQ_KEY_ENCRYPTION_KEY_FILE');
    expect(env).toEqual({ name: 'VQ_KEY_ENCRYPTION_KEY_FILE', value: '/etc/surge/queue-keys/key-encryption' });
    const volume = spec.volumes.find((v: any) => v.name === 'queue-key-encryption');
    expect(volume.secret.secretName).toBe('surge-queue-keys');
    expect(container.volumeMounts).toContainEqual({
      name: 'queue-key-encryption',
      mountPath: '/etc/surge/queue-keys',
      readOnly: true,
    });
  });

  it('gives every signing service its role key and the trust lists from surge-signing-keys, never inline', () => {
    for (const [name, role] of Object.entries(SIGNING_ROLE_OF)) {
      const spec = podSpec(name);
      const env = new Map(
        (spec.containers[0].env as { name: string; value?: string; valueFrom?: any }[]).map((e) => [e.name, e]),
      );
      const fromSecret = (variable: string) => env.get(variable)?.valueFrom?.secretKeyRef;
      expect(fromSecret('SURGE_SIGNING_KEY_ID'), name).toEqual({ name: 'surge-signing-keys', key: `${role}.key-id` });
      for (const topic of ['decisions', 'observed', 'control'])
        expect(fromSecret(`SURGE_${topic.toUpperCase()}_PUBLIC_KEYS`), name).toEqual({
          name: 'surge-signing-keys',
          key: `${topic}.public-keys`,
        });
      expect(env.get('SURGE_SIGNING_KEY')).toBeUndefined();
      expect(env.get('SURGE_SIGNING_OPEN')).toBeUndefined();
      const file = env.get('SURGE_SIGNING_KEY_FILE')!.value!;
      const volume = spec.volumes.find((v: any) => v.secret?.secretName === 'surge-signing-keys');
      expect(volume.secret.items, name).toEqual([{ key: `${role}.pem`, path: path.basename(file) }]);
      const mount = spec.containers[0].volumeMounts.find((m: any) => m.name === volume.name);
      expect(mount.mountPath, name).toBe(path.dirname(file));
    }
    expect(podSpec('metrics-ingest').volumes.some((v: any) => v.secret?.secretName === 'surge-signing-keys')).toBe(
      false,
    );
  });

  it('mounts the generated policy and target ConfigMaps, whose contents Surge accepts', () => {
    const configMaps = new Map(byKind(objects, 'ConfigMap').map((c) => [c.metadata.name, c as any]));
    const spec = podSpec('rules-engine');
    const volume = (v: string) => spec.volumes.find((x: any) => x.name === v).configMap.name as string;
    const policies = configMaps.get(volume('policies'));
    const targets = configMaps.get(volume('targets'));
    expect(policies, 'policies ConfigMap name must resolve to the generated, hashed one').toBeDefined();
    expect(targets).toBeDefined();
    const files = Object.entries(policies.data as Record<string, string>).map(([file, text]) => ({ file, text }));
    expect(files.length).toBeGreaterThan(0);
    expect(checkSurgeConfig(files, targets.data['targets.yaml'])).toEqual([]);
    const env = configMaps.get(spec.containers[0].envFrom[0].configMapRef.name).data;
    expect(env['SURGE_POLICIES_DIR']).toBe('/etc/surge/policies');
    expect(env['SURGE_TARGETS_FILE']).toBe('/etc/surge/targets/targets.yaml');
  });

  it('gives only executor-k8s a Kubernetes API token, under its own account', () => {
    for (const name of SERVICES.filter((s) => s !== 'executor-k8s')) {
      expect(podSpec(name).automountServiceAccountToken).toBe(false);
      expect(podSpec(name).serviceAccountName).toBe('surge');
    }
    expect(podSpec('executor-k8s').serviceAccountName).toBe('surge-executor-k8s');
    expect(named(objects, 'ServiceAccount', 'surge-executor-k8s')).toBeDefined();
    expect(byKind(objects, 'ClusterRoleBinding')).toEqual([]);
  });

  it('autoscales the stateless edges only, and budgets disruptions for every service', () => {
    const hpas = byKind(objects, 'HorizontalPodAutoscaler') as any[];
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(['metrics-ingest', 'virtual-queue']);
    for (const hpa of hpas) {
      expect(deployments.map((d) => d.metadata.name)).toContain(hpa.spec.scaleTargetRef.name);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    }
    for (const deployment of deployments as any[]) {
      const labels = deployment.spec.template.metadata.labels;
      const pdb = (byKind(objects, 'PodDisruptionBudget') as any[]).find((p) =>
        Object.entries(p.spec.selector.matchLabels).every(([k, v]) => labels[k] === v),
      );
      expect(pdb, deployment.metadata.name).toBeDefined();
      expect(deployment.spec.selector.matchLabels).toEqual(
        Object.fromEntries(Object.keys(deployment.spec.selector.matchLabels).map((k) => [k, labels[k]])),
      );
    }
  });

  it("denies ingress by default, opens Surge's pods on the http port only, and nothing to every source", () => {
    const policies = byKind(objects, 'NetworkPolicy') as any[];
    const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0);
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const stores = policies.filter((p) => p.spec.podSelector.matchExpressions?.[0]?.key === 'surge.dev/data-store');
    expect(stores).toHaveLength(1);
    for (const policy of policies.filter((p) => p !== deny && !stores.includes(p))) {
      for (const rule of policy.spec.ingress) expect(rule.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
    }
    // Who reaches which pod is kubernetes-security.spec.ts's; here, that no rule admits every source.
    expect(policies.filter((p) => p.spec.ingress?.some((rule: any) => !rule.from?.length))).toEqual([]);
  });

  it('admits to ingest only the sources that report, and gives it its tokens file from a Secret', () => {
    const policies = byKind(objects, 'NetworkPolicy') as any[];
    const toIngest = policies.filter((p) => {
      const selector = p.spec.podSelector;
      if (Object.keys(selector).length === 0) return false;
      const byName = selector.matchLabels?.['app.kubernetes.io/name'];
      if (byName) return byName === 'metrics-ingest';
      const names = selector.matchExpressions?.find((e: any) => e.key === 'app.kubernetes.io/name');
      if (names) return (names.operator === 'In') === names.values.includes('metrics-ingest');
      return !selector.matchExpressions?.length;
    });
    const sources = toIngest.flatMap((p) => p.spec.ingress.flatMap((rule: any) => rule.from ?? [{ anyone: true }]));
    expect(sources).not.toContainEqual({ anyone: true });
    // commonLabels adds Surge's own labels to the selector too: a reporter pod carries them and the reporter label.
    const reporters = sources.filter((from: any) => from.podSelector);
    expect(reporters).toHaveLength(1);
    expect(reporters[0].namespaceSelector).toEqual({});
    expect(reporters[0].podSelector.matchLabels).toMatchObject({ 'surge.dev/ingest-reporter': 'true' });
    const pod = podSpec('metrics-ingest');
    expect(pod.containers[0].env).toContainEqual({
      name: 'SURGE_INGEST_TOKENS_FILE',
      value: '/etc/surge/ingest/tokens.yaml',
    });
    expect(pod.volumes).toContainEqual({
      name: 'ingest-tokens',
      secret: { secretName: 'surge-ingest-tokens', defaultMode: 0o400 },
    });
  });

  it('lets the Prometheus Operator scrape every Service and load the alerts', () => {
    const monitor = byKind(objects, 'ServiceMonitor')[0] as any;
    for (const service of byKind(objects, 'Service') as any[]) {
      expect(
        Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => service.metadata.labels[k] === v),
      ).toBe(true);
      expect(service.spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
    }
    const rule = byKind(objects, 'PrometheusRule')[0] as any;
    const fromCompose = parse(readRepoFile('deploy/prometheus/rules/surge.rules.yml'));
    expect(rule.spec.groups).toEqual(fromCompose.groups);
  });

  it("gives Grafana's sidecar the compose dashboard, as one labelled ConfigMap", () => {
    const dashboards = byKind(objects, 'ConfigMap').filter((c) => c.metadata.labels?.['grafana_dashboard'] === '1');
    expect(dashboards.map((c) => c.metadata.name)).toEqual([expect.stringMatching(/^surge-grafana-dashboard-/)]);
    const data = (dashboards[0] as any).data;
    expect(Object.keys(data)).toEqual(['surge.json']);
    expect(JSON.parse(data['surge.json'])).toEqual(JSON.parse(readRepoFile('deploy/grafana/dashboards/surge.json')));
  });
});

describe('overlay differences', () => {
  const prod = renderKustomization('k8s/overlays/prod');
  const dev = renderKustomization('k8s/overlays/dev');
  const replicas = (objects: typeof prod, name: string) => (named(objects, 'Deployment', name).spec as any).replicas;
  const hpaMin = (objects: typeof prod, name: string) =>
    (named(objects, 'HorizontalPodAutoscaler', name).spec as any).minReplicas;

  it('runs two of every singleton in prod, one in dev', () => {
    for (const name of ['rules-engine', 'executor-k8s', 'executor-database', 'executor-cache', 'audit-log']) {
      expect(replicas(prod, name)).toBe(2);
      expect(replicas(dev, name)).toBe(1);
    }
    expect(hpaMin(prod, 'metrics-ingest')).toBeGreaterThanOrEqual(3);
    expect(hpaMin(dev, 'virtual-queue')).toBe(1);
  });

  it('use `bases:` for directories, which kustomize v2.0.3 requires', () => {
    for (const overlay of Object.keys(OVERLAYS)) {
      const kustomization = parse(readRepoFile(`k8s/overlays/${overlay}/kustomization.yaml`));
      expect(kustomization.bases).toEqual(['../../base']);
      for (const resource of kustomization.resources) expect(resource).toMatch(/\.yaml$/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubernetesObject } from './kubernetes-object.validator';
import { byKind, named, renderKustomization } from './kustomize.render';
import { admits, type Labels, type NetworkPolicyShape, type PodEndpoint } from './network-reach.check';
import { readRepoFile, SIGNING_ROLE_OF, SURGE_SERVICES } from './repo-files';
import { KUBERNETES_CREDENTIALS_OF, type PodSpecShape, workloadSecretProblems } from './workload-secrets.check';

const OVERLAYS = { dev: 'surge-dev', prod: 'surge' } as const;
const HTTP = (port: number) => ({ name: 'http', number: port });
const OPERATOR_APIS = ['audit-log', 'rules-engine'];

describe.each(Object.entries(OVERLAYS))('k8s/overlays/%s keeps the deployment rules', (overlay, namespace) => {
  const objects = renderKustomization(`k8s/overlays/${overlay}`);
  const policies = byKind(objects, 'NetworkPolicy') as unknown as NetworkPolicyShape[];
  const deployment = (name: string) => named(objects, 'Deployment', name) as KubernetesObject & { spec: any };
  const podSpec = (name: string): PodSpecShape => deployment(name).spec.template.spec;
  const surgePod = (name: string): PodEndpoint => ({
    namespace,
    labels: deployment(name).spec.template.metadata.labels,
  });
  const outsider = (ns: string, labels: Labels = { app: 'someone' }, namespaceLabels: Labels = {}): PodEndpoint => ({
    namespace: ns,
    labels,
    namespaceLabels,
  });
  const SOURCES = {
    ingressController: outsider('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }),
    operators: outsider('surge-operators', { app: 'bastion' }, { 'surge.dev/operator-access': 'true' }),
    stranger: outsider('shop'),
    neighbour: outsider(namespace, { app: 'debug' }),
    monitoring: outsider('monitoring', { app: 'prometheus' }),
  };
  const reach = (name: string, policySet = policies) => {
    const target = { ...surgePod(name), port: HTTP(SURGE_SERVICES[name]!) };
    const from = (source: PodEndpoint) => admits(policySet, target, source);
    return Object.fromEntries(Object.entries(SOURCES).map(([who, source]) => [who, from(source)]));
  };

  describe('secrets', () => {
    it.each(Object.keys(SURGE_SERVICES))('%s reads only its own secrets', (name) => {
      expect(workloadSecretProblems(name, podSpec(name), { signingRole: SIGNING_ROLE_OF[name] })).toEqual([]);
    });

    it('takes each credential from the workload’s own Secret, and the operators file where there is an operator API', () => {
      for (const [name, credentials] of Object.entries(KUBERNETES_CREDENTIALS_OF)) {
        const env = (podSpec(name).containers[0] as any).env as { name: string; valueFrom?: any }[];
        for (const variable of credentials.filter((c) => c !== 'PGBOUNCER_ADMIN_URL'))
          expect(env.find((e) => e.name === variable)?.valueFrom?.secretKeyRef, `${name} ${variable}`).toEqual({
            name: `surge-${name}`,
            key: variable,
          });
        expect(
          env.map((e) => e.name),
          name,
        ).not.toContain('SURGE_ADMIN_TOKEN');
        const operators = (podSpec(name).volumes ?? []).find((v) => v.secret?.secretName === 'surge-operators');
        expect(Boolean(operators), name).toBe(OPERATOR_APIS.includes(name) || name === 'virtual-queue');
      }
    });

    it('catches a workload given every key of a Secret, another role’s key or another workload’s credential', () => {
      const spec = structuredClone(podSpec('rules-engine'));
      spec.containers[0]!.envFrom = [{ secretRef: { name: 'surge-secrets' } }];
      expect(workloadSecretProblems('rules-engine', spec, { signingRole: 'rules-engine' })).toEqual([
        'rules-engine: reads every key of surge-secrets (envFrom)',
      ]);
      const audit = structuredClone(podSpec('audit-log'));
      audit.volumes!.find((v) => v.secret?.secretName === 'surge-signing-keys')!.secret!.items = [
        { key: 'executor.pem' },
      ];
      audit.containers[0]!.env!.push({
        name: 'REDIS_URL',
        valueFrom: { secretKeyRef: { name: 'surge-audit-log', key: 'REDIS_URL' } },
      });
      expect(workloadSecretProblems('audit-log', audit, { signingRole: 'control-plane' })).toEqual([
        'audit-log: reads REDIS_URL of surge-audit-log (env REDIS_URL)',
        'audit-log: reads executor.pem of surge-signing-keys (volume signing-key)',
      ]);
      const notifier = structuredClone(podSpec('notifier'));
      notifier.volumes!.push({ name: 'operators', secret: { secretName: 'surge-operators' } });
      expect(workloadSecretProblems('notifier', notifier)).toEqual([
        'notifier: reads every key of surge-operators (volume operators)',
      ]);
    });
  });

  describe('network policies', () => {
    it('deny ingress by default: a pod no other policy selects takes nothing', () => {
      const debug = { namespace, labels: { app: 'debug' }, port: { number: 8080 } };
      for (const source of Object.values(SOURCES)) expect(admits(policies, debug, source)).toBe(false);
      const withoutDeny = policies.filter((p) => Object.keys(p.spec.podSelector).length > 0);
      expect(admits(withoutDeny, debug, SOURCES.stranger)).toBe(true);
    });

    it('let only the ingress controller (and scrapes) reach the waiting room', () => {
      expect(reach('virtual-queue')).toEqual({
        ingressController: true,
        operators: false,
        stranger: false,
        neighbour: false,
        monitoring: true,
      });
      for (const name of Object.keys(SURGE_SERVICES).filter((s) => s !== 'virtual-queue'))
        expect(reach(name).ingressController, name).toBe(false);
    });

    it.each(OPERATOR_APIS)('let only the operators’ namespaces (and scrapes) reach %s', (name) => {
      expect(reach(name)).toEqual({
        ingressController: false,
        operators: true,
        stranger: false,
        neighbour: false,
        monitoring: true,
      });
      const opened = policies.map((p) =>
        p.metadata.name === 'surge-allow-operators' ? { ...p, spec: { ...p.spec, ingress: [{}] } } : p,
      );
      expect(reach(name, opened).stranger).toBe(true);
    });

    it('let nobody but the reporters and scrapes reach ingest, and only scrapes reach the rest', () => {
      const reporter = outsider('shop', {
        ...surgePod('metrics-ingest').labels,
        'app.kubernetes.io/name': 'shop-reporter',
        'surge.dev/ingest-reporter': 'true',
      });
      const ingest = { ...surgePod('metrics-ingest'), port: HTTP(8081) };
      expect(admits(policies, ingest, reporter)).toBe(true);
      expect(reach('metrics-ingest')).toMatchObject({ stranger: false, neighbour: false, operators: false });
      for (const name of ['executor-k8s', 'executor-database', 'executor-cache', 'notifier'])
        expect(reach(name), name).toEqual({
          ingressController: false,
          operators: false,
          stranger: false,
          neighbour: false,
          monitoring: true,
        });
      // No Surge service calls another over HTTP: one Surge pod cannot reach another's API either.
      const console = { ...surgePod('audit-log'), port: HTTP(8080) };
      expect(admits(policies, console, surgePod('notifier'))).toBe(false);
    });

    it.each([
      ['kafka', 9092],
      ['redis', 6379],
      ['postgres', 5432],
      ['pgbouncer', 6432],
    ])('let only Surge’s services reach a %s of its namespace', (store, port) => {
      const target = { namespace, labels: { 'surge.dev/data-store': store }, port: { number: port } };
      for (const name of Object.keys(SURGE_SERVICES)) expect(admits(policies, target, surgePod(name)), name).toBe(true);
      for (const [who, source] of Object.entries(SOURCES)) expect(admits(policies, target, source), who).toBe(false);
    });
  });
});

describe('k8s/data-stores/network-policy.yaml', () => {
  const policy = parse(readRepoFile('k8s/data-stores/network-policy.yaml')) as NetworkPolicyShape;
  const store = { namespace: 'kafka', labels: { 'surge.dev/data-store': 'kafka' }, port: { number: 9092 } };
  const surge = { 'app.kubernetes.io/part-of': 'surge', 'app.kubernetes.io/name': 'rules-engine' };

  it("lets Surge's pods of Surge's namespace reach a store in its own namespace, and nobody else", () => {
    expect(admits([policy], store, { namespace: 'surge', labels: surge })).toBe(true);
    expect(admits([policy], store, { namespace: 'surge', labels: { app: 'debug' } })).toBe(false);
    expect(admits([policy], store, { namespace: 'shop', labels: surge })).toBe(false);
    expect(admits([policy], store, { namespace: 'kafka', labels: { app: 'kafka-ui' } })).toBe(false);
  });
});

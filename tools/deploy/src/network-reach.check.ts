/** Labels of a pod or a namespace. */
export type Labels = Record<string, string>;

interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}

export interface NetworkPolicyShape {
  metadata: { name: string; namespace?: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: string[];
    ingress?: { from?: PolicyPeer[]; ports?: { port?: string | number; protocol?: string }[] }[];
  };
}

/** A pod as NetworkPolicy sees it: its namespace (name and labels), its labels and, for a target, its port. */
export interface PodEndpoint {
  namespace: string;
  namespaceLabels?: Labels;
  labels: Labels;
}

export interface TargetPort {
  name?: string;
  number: number;
}

export function selects(selector: LabelSelector, labels: Labels): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    byLabel &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      if (operator === 'In') return key in labels && values.includes(labels[key]!);
      if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]!);
      if (operator === 'Exists') return key in labels;
      return !(key in labels);
    })
  );
}

function peerAdmits(peer: PolicyPeer, policyNamespace: string, source: PodEndpoint): boolean {
  // In-cluster traffic is what these policies govern; an ipBlock admits no pod here.
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const namespaceLabels = { 'kubernetes.io/metadata.name': source.namespace, ...source.namespaceLabels };
  const inNamespace = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels)
    : source.namespace === policyNamespace;
  return inNamespace && (!peer.podSelector || selects(peer.podSelector, source.labels));
}

const portAdmits = (ports: { port?: string | number }[] | undefined, target: TargetPort) =>
  !ports?.length || ports.some(({ port }) => port === undefined || port === target.name || port === target.number);

/**
 * Whether `source` may open a connection to `target` on `port` under these ingress policies, as Kubernetes decides
 * it: a pod no ingress policy selects takes anything; a selected pod takes what one of its policies' rules allows.
 */
export function admits(
  policies: NetworkPolicyShape[],
  target: PodEndpoint & { port: TargetPort },
  source: PodEndpoint,
): boolean {
  const applying = policies.filter(
    (policy) =>
      (policy.metadata.namespace ?? target.namespace) === target.namespace &&
      (policy.spec.policyTypes ?? ['Ingress']).includes('Ingress') &&
      selects(policy.spec.podSelector, target.labels),
  );
  if (applying.length === 0) return true;
  return applying.some((policy) =>
    (policy.spec.ingress ?? []).some(
      (rule) =>
        portAdmits(rule.ports, target.port) &&
        (rule.from === undefined ||
          rule.from.length === 0 ||
          rule.from.some((peer) => peerAdmits(peer, policy.metadata.namespace ?? target.namespace, source))),
    ),
  );
}

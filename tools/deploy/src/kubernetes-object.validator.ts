import { createRequire } from 'node:module';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

type ModelClass = new (data: unknown) => { validate(): void };

const load = createRequire(__filename);

/** `apps/v1` -> kubernetes-models/apps/v1, core `v1` -> kubernetes-models/v1. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  try {
    return (load(`kubernetes-models/${apiVersion}`) as Record<string, ModelClass>)[kind];
  } catch {
    return undefined;
  }
}

/**
 * The Prometheus Operator's CRDs are not in kubernetes-models; these are the fields the operator needs to act
 * on them at all, so a misplaced key is still caught.
 */
const CUSTOM_RESOURCES: Record<string, (object: KubernetesObject) => string[]> = {
  'monitoring.coreos.com/v1/ServiceMonitor': ({ spec }) => {
    const issues: string[] = [];
    const selector = spec?.['selector'] as { matchLabels?: Record<string, string> } | undefined;
    if (!selector?.matchLabels || Object.keys(selector.matchLabels).length === 0)
      issues.push('spec.selector.matchLabels is required');
    const endpoints = spec?.['endpoints'];
    if (!Array.isArray(endpoints) || endpoints.length === 0) issues.push('spec.endpoints needs at least one endpoint');
    for (const [index, endpoint] of (Array.isArray(endpoints) ? endpoints : []).entries()) {
      if (typeof endpoint?.port !== 'string') issues.push(`spec.endpoints[${index}].port must name a Service port`);
      if (endpoint?.interval !== undefined && !/^\d+(ms|s|m|h)$/.test(endpoint.interval))
        issues.push(`spec.endpoints[${index}].interval`);
    }
    return issues;
  },
  'monitoring.coreos.com/v1/PrometheusRule': ({ spec }) => {
    const groups = spec?.['groups'];
    if (!Array.isArray(groups) || groups.length === 0) return ['spec.groups needs at least one group'];
    return groups.flatMap((group: { name?: unknown; rules?: unknown }, index: number) => {
      const issues: string[] = [];
      if (typeof group.name !== 'string') issues.push(`spec.groups[${index}].name`);
      if (!Array.isArray(group.rules) || group.rules.length === 0) issues.push(`spec.groups[${index}].rules is empty`);
      for (const rule of Array.isArray(group.rules) ? group.rules : []) {
        if (typeof rule.expr !== 'string' || (typeof rule.alert !== 'string' && typeof rule.record !== 'string')) {
          issues.push(`spec.groups[${index}]: every rule needs expr and alert or record`);
        }
      }
      return issues;
    });
  },
};

/** Validation problems for one rendered object; an empty list means it is valid. */
export function validateKubernetesObject(object: KubernetesObject): string[] {
  const custom = CUSTOM_RESOURCES[`${object.apiVersion}/${object.kind}`];
  if (custom) return custom(object);
  const Model = modelFor(object.apiVersion, object.kind);
  if (!Model) return [`no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

import type { RunningPolicy } from '@surge/contracts';
import type { ScalingPolicy } from '@surge/policy';

/** One field that differs: its path in the normalized policy, and its value on each side (undefined: absent). */
export interface FieldChange {
  path: string;
  running: unknown;
  local: unknown;
}

export type PolicyComparison =
  | { name: string; kind: 'unchanged'; version: string }
  | { name: string; kind: 'new'; local: ScalingPolicy }
  | { name: string; kind: 'removed'; running: RunningPolicy }
  | { name: string; kind: 'changed'; local: ScalingPolicy; running: RunningPolicy };

/** What the version hashes: the policy without its version and source, as plain JSON. */
export function normalizedDocument(policy: ScalingPolicy): Record<string, unknown> {
  const { version: _version, source: _source, ...normalized } = policy;
  return JSON.parse(JSON.stringify(normalized)) as Record<string, unknown>;
}

/** Policies paired by name: equal versions are equal normalized documents, so only the others need a field diff. */
export function comparePolicies(
  local: readonly ScalingPolicy[],
  running: readonly RunningPolicy[],
): PolicyComparison[] {
  const runningByName = new Map(running.map((p) => [p.name, p]));
  const localNames = new Set(local.map((p) => p.name));
  const compared: PolicyComparison[] = local.map((policy) => {
    const engine = runningByName.get(policy.name);
    if (!engine) return { name: policy.name, kind: 'new', local: policy };
    if (engine.version === policy.version) return { name: policy.name, kind: 'unchanged', version: policy.version };
    return { name: policy.name, kind: 'changed', local: policy, running: engine };
  });
  for (const engine of running)
    if (!localNames.has(engine.name)) compared.push({ name: engine.name, kind: 'removed', running: engine });
  return compared.sort((a, b) => a.name.localeCompare(b.name));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The key a list element is known by (a rule's or schedule's name, a metric's metric), so a reorder is no change. */
function keyOf(element: unknown): string | undefined {
  if (!isObject(element)) return undefined;
  const key = element['name'] ?? element['metric'];
  return typeof key === 'string' ? key : undefined;
}

function keyed(list: unknown[]): Map<string, unknown> | undefined {
  const keys = list.map(keyOf);
  if (keys.some((k) => k === undefined) || new Set(keys).size !== keys.length) return undefined;
  return new Map(list.map((element, index) => [keys[index]!, element]));
}

/** Every leaf that differs, `behavior.scaleDown.stabilizationWindowSeconds` or `rules[cpu-hot].forSeconds`. */
export function fieldChanges(running: unknown, local: unknown, path = ''): FieldChange[] {
  if (isObject(running) && isObject(local)) {
    const keys = [...new Set([...Object.keys(running), ...Object.keys(local)])].sort();
    return keys.flatMap((key) => fieldChanges(running[key], local[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(running) && Array.isArray(local)) {
    const [before, after] = [keyed(running), keyed(local)];
    if (before && after) {
      const names = [...new Set([...before.keys(), ...after.keys()])];
      return names.flatMap((name) => fieldChanges(before.get(name), after.get(name), `${path}[${name}]`));
    }
    if (running.length === local.length)
      return running.flatMap((element, index) => fieldChanges(element, local[index], `${path}[${index}]`));
  }
  return JSON.stringify(running) === JSON.stringify(local) ? [] : [{ path, running, local }];
}

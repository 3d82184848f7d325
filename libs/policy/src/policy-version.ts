import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal documents hash equally whatever their key order in YAML. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The policy version: a short hash of the normalized document (defaults filled, durations in seconds). */
export function policyVersionOf(normalized: unknown): string {
  return createHash('sha256').update(stableStringify(normalized)).digest('hex').slice(0, 16);
}

/** Narrowing helpers for YAML read as `unknown`: Kubernetes objects are maps of maps. */
export type RawObject = Record<string, unknown>;

export const isObject = (value: unknown): value is RawObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const objectAt = (value: unknown): RawObject => (isObject(value) ? value : {});

export const listAt = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Surge metric names are identifiers; Kubernetes and Prometheus names may hold `-`, `.`, `/` or `|`. */
export function metricNameOf(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (cleaned === '') return '_';
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

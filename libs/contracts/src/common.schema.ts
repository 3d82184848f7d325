import { z } from 'zod';

/** Prometheus' metric-name grammar, which Surge adopts so remote-written series keep their names. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export const metricName = z.string().regex(METRIC_NAME, 'must match [a-zA-Z_:][a-zA-Z0-9_:]*');

/** Epoch milliseconds or an ISO 8601 string, normalised to epoch milliseconds. */
export const timestampMs = z
  .union([z.number().int().nonnegative(), z.string().datetime({ offset: true })])
  .transform((value) => (typeof value === 'number' ? value : Date.parse(value)));

export const finiteNumber = z.number().refine(Number.isFinite, 'must be a finite number');

export const targetRef = z.object({
  kind: z.string().min(1),
  /** Opaque, chosen in the policy; by convention `namespace/name`. */
  id: z.string().min(1).max(253),
});

export const severity = z.enum(['info', 'warning', 'critical']);

import { METRIC_NAME } from './common.schema';
import { METRIC_SAMPLE_SCHEMA_VERSION, type MetricSample, type SampleEnvelope } from './metric-sample.schema';

/**
 * The sample envelope's schema checked by hand, for the one contract every sample crosses: the rules engine
 * decodes some hundred thousand envelopes a second, and zod's general machinery was a fifth of its CPU.
 * It accepts only what `sampleEnvelope` accepts and returns what that schema returns (unknown keys stripped,
 * the sample's schemaVersion defaulted); anything it is not sure of (an ISO timestamp, a malformed field, a
 * label named `__proto__`) is answered `undefined`, and the schema decides, with its own error. The property
 * test in sample-envelope.fast.spec.ts holds the two to each other.
 */
export function fastSampleEnvelope(input: unknown): SampleEnvelope | undefined {
  if (!isRecord(input) || input['schemaVersion'] !== METRIC_SAMPLE_SCHEMA_VERSION) return undefined;
  const target = input['target'];
  const samples = input['samples'];
  if (typeof target !== 'string' || target.length < 1 || !Array.isArray(samples) || samples.length < 1)
    return undefined;
  const out: MetricSample[] = new Array<MetricSample>(samples.length);
  for (let i = 0; i < samples.length; i += 1) {
    const sample = fastSample(samples[i]);
    if (sample === undefined) return undefined;
    out[i] = sample;
  }
  return { schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION, target, samples: out };
}

function fastSample(input: unknown): MetricSample | undefined {
  if (!isRecord(input)) return undefined;
  const version = input['schemaVersion'];
  if (version !== undefined && version !== METRIC_SAMPLE_SCHEMA_VERSION) return undefined;
  const { target, metric, value, timestamp, labels } = input;
  if (typeof target !== 'string' || target.length < 1 || target.length > 253) return undefined;
  if (typeof metric !== 'string' || !METRIC_NAME.test(metric)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) return undefined;
  const sample: MetricSample = { schemaVersion: METRIC_SAMPLE_SCHEMA_VERSION, target, metric, value, timestamp };
  if (labels === undefined) return sample;
  const copied = fastLabels(labels);
  if (copied === undefined) return undefined;
  sample.labels = copied;
  return sample;
}

function fastLabels(input: unknown): Record<string, string> | undefined {
  if (!isRecord(input)) return undefined;
  const out: Record<string, string> = {};
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (key === '__proto__' || typeof value !== 'string') return undefined;
    out[key] = value;
  }
  return out;
}

/** A plain object as JSON.parse makes them; anything else (an array, a class instance) is the schema's to judge. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

import { envBoolean, envInt, httpEnv, kafkaEnv, loadConfig, tracingEnv } from '@surge/config';
import { z } from 'zod';
import { parseTargetRules, type TargetRule } from '../remote-write/label-mapping';
import type { SampleLimits } from '../samples/sample-limits';

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');

const optionalString = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());

export const ingestEnv = z.object({
  ...kafkaEnv,
  ...tracingEnv,
  ...httpEnv(8081),
  // An empty value (`SURGE_INGEST_TOKEN=` in a compose file) means unset, not a 0-character token. Strength and
  // placeholders are checked when the credentials are built (auth/ingest-credentials.ts), with a clear message.
  SURGE_INGEST_TOKEN: optionalString.describe(
    'One token (at least 32 random characters) that may write any target, sent as `Authorization: Bearer <token>` or as the basic-auth password; for a single reporter',
  ),
  SURGE_INGEST_TOKENS_FILE: optionalString.describe(
    'YAML or JSON file of named sources, each with the SHA-256 hex of its token (`tokenSha256`) and the target globs it may write (`targets: [demo/*]`); a write outside them gets 403',
  ),
  SURGE_INGEST_OPEN: envBoolean(false).describe(
    'Run without authentication when no credential is set (trusted networks only); without it and without a credential, ingest refuses to start',
  ),
  SURGE_INGEST_MAX_BODY_BYTES: envInt(8 * 1024 * 1024, 1024).describe(
    'Largest request body accepted; larger ones get 413',
  ),
  SURGE_INGEST_PRODUCE_TIMEOUT_MS: envInt(5000, 100, 120_000).describe(
    'How long a batch may wait for Kafka acknowledgements before the client gets 503 and retries',
  ),
  SURGE_INGEST_RETRY_AFTER_SECONDS: envInt(5, 1, 3600).describe(
    'Retry-After sent with 503 when Kafka cannot take a batch',
  ),
  // 30 s covers clock skew between honest hosts; a sample stamped far ahead would hold the engine's watermark for
  // its target until then.
  SURGE_INGEST_MAX_FUTURE_MS: envInt(30_000, 0).describe(
    'Samples stamped further than this in the future are rejected',
  ),
  SURGE_INGEST_MAX_METRIC_NAME_LENGTH: envInt(200, 1, 10_000).describe('Longest metric name accepted'),
  SURGE_INGEST_MAX_LABEL_NAME_LENGTH: envInt(128, 1, 10_000).describe('Longest label name accepted'),
  SURGE_INGEST_MAX_LABEL_VALUE_LENGTH: envInt(512, 1, 100_000).describe('Longest label value accepted'),
  SURGE_INGEST_MAX_LABELS_PER_SAMPLE: envInt(32, 0, 1000).describe('Most labels one sample may carry'),
  SURGE_INGEST_MAX_SAMPLES_PER_REQUEST: envInt(10_000, 1, 1_000_000).describe(
    'Most samples one request may carry (JSON or remote-write); more gets 413',
  ),
  SURGE_INGEST_MAX_TARGETS_PER_MINUTE: envInt(1000, 1, 1_000_000).describe(
    'Most distinct targets one source may write per minute; more gets 429 with Retry-After',
  ),
  SURGE_REMOTE_WRITE_MAX_DECODED_BYTES: envInt(4 * 1024 * 1024, 1024).describe(
    'Largest decoded (uncompressed) remote-write body, read from the snappy header before decoding; larger gets 413',
  ),
  SURGE_REMOTE_WRITE_TARGET_LABELS: z
    .string()
    .default('surge_target,namespace/deployment,namespace/job')
    .transform((value, ctx) => {
      try {
        return parseTargetRules(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .describe(
      'Remote-write label mapping: comma-separated rules tried in order; a rule is label names joined by `/`, all of which must be present, and the target id is their values joined by `/`',
    ),
  SURGE_REMOTE_WRITE_METRIC_LABEL: z
    .string()
    .min(1)
    .default('__name__')
    .describe('Series label that carries the metric name'),
});

export type IngestConfig = z.output<typeof ingestEnv> & { SURGE_REMOTE_WRITE_TARGET_LABELS: TargetRule[] };

export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  return loadConfig('metrics-ingest', ingestEnv, env);
}

export function sampleLimitsOf(config: IngestConfig): SampleLimits {
  return {
    maxMetricNameLength: config.SURGE_INGEST_MAX_METRIC_NAME_LENGTH,
    maxLabelNameLength: config.SURGE_INGEST_MAX_LABEL_NAME_LENGTH,
    maxLabelValueLength: config.SURGE_INGEST_MAX_LABEL_VALUE_LENGTH,
    maxLabelsPerSample: config.SURGE_INGEST_MAX_LABELS_PER_SAMPLE,
  };
}

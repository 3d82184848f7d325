import { envInt, httpEnv, kafkaEnv, loadConfig } from '@surge/config';
import { DEFAULT_TOPICS } from '@surge/contracts';
import { z } from 'zod';
import { parseTargetRules, type TargetRule } from '../remote-write/label-mapping';

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');

export const ingestEnv = z.object({
  ...kafkaEnv,
  ...httpEnv(8081),
  SURGE_TOPIC_SAMPLES: z.string().min(1).default(DEFAULT_TOPICS.samples).describe('Topic the samples are produced to'),
  // An empty value (`SURGE_INGEST_TOKEN=` in a compose file) means unset, not a 0-character token.
  SURGE_INGEST_TOKEN: z
    .preprocess(
      (value) => (value === '' ? undefined : value),
      z.string().min(16, 'must be at least 16 characters').optional(),
    )
    .describe('When set, both write endpoints require `Authorization: Bearer <token>`'),
  SURGE_INGEST_MAX_BODY_BYTES: envInt(8 * 1024 * 1024, 1024).describe(
    'Largest request body accepted; larger ones get 413',
  ),
  SURGE_INGEST_PRODUCE_TIMEOUT_MS: envInt(5000, 100, 120_000).describe(
    'How long a batch may wait for Kafka acknowledgements before the client gets 503 and retries',
  ),
  SURGE_INGEST_RETRY_AFTER_SECONDS: envInt(5, 1, 3600).describe(
    'Retry-After sent with 503 when Kafka cannot take a batch',
  ),
  SURGE_INGEST_MAX_FUTURE_MS: envInt(5 * 60_000, 0).describe(
    'Samples stamped further than this in the future are rejected',
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

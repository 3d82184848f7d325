import { z } from 'zod';
import { finiteNumber, metricName, timestampMs } from './common.schema';

export const METRIC_SAMPLE_SCHEMA_VERSION = 1;

export const metricSample = z.object({
  schemaVersion: z.literal(METRIC_SAMPLE_SCHEMA_VERSION).default(METRIC_SAMPLE_SCHEMA_VERSION),
  target: z.string().min(1).max(253),
  metric: metricName,
  value: finiteNumber,
  timestamp: timestampMs,
  labels: z.record(z.string(), z.string()).optional(),
});
export type MetricSample = z.output<typeof metricSample>;

/**
 * One Kafka message of the samples topic: every sample of one target from one ingest batch.
 * Batching per target keeps Kafka's per-message overhead (headers, CRC, offsets) off the hot path while the
 * message key, the target id, still keeps each target's samples in order on one partition.
 */
export const sampleEnvelope = z.object({
  schemaVersion: z.literal(METRIC_SAMPLE_SCHEMA_VERSION),
  target: z.string().min(1),
  samples: z.array(metricSample).min(1),
});
export type SampleEnvelope = z.output<typeof sampleEnvelope>;

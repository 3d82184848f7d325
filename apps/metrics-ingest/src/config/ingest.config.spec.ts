import { describe, expect, it } from 'vitest';
import { loadIngestConfig } from './ingest.config';

describe('metrics-ingest config', () => {
  it('has working defaults given only the brokers', () => {
    const config = loadIngestConfig({ KAFKA_BROKERS: 'k:9092' });
    expect(config).toMatchObject({
      PORT: 8081,
      SURGE_TOPIC_SAMPLES: 'surge.metrics.samples',
      SURGE_INGEST_MAX_BODY_BYTES: 8 * 1024 * 1024,
      SURGE_INGEST_MAX_FUTURE_MS: 30_000,
      SURGE_INGEST_OPEN: false,
      KAFKA_MAX_MESSAGE_BYTES: 900_000,
      SURGE_INGEST_MAX_METRIC_NAME_LENGTH: 200,
      SURGE_INGEST_MAX_LABEL_NAME_LENGTH: 128,
      SURGE_INGEST_MAX_LABEL_VALUE_LENGTH: 512,
      SURGE_INGEST_MAX_LABELS_PER_SAMPLE: 32,
      SURGE_INGEST_MAX_SAMPLES_PER_REQUEST: 10_000,
      SURGE_INGEST_MAX_TARGETS_PER_MINUTE: 1000,
      SURGE_REMOTE_WRITE_MAX_DECODED_BYTES: 4 * 1024 * 1024,
      SURGE_REMOTE_WRITE_TARGET_LABELS: [['surge_target'], ['namespace', 'deployment'], ['namespace', 'job']],
      SURGE_REMOTE_WRITE_METRIC_LABEL: '__name__',
    });
    expect(config.SURGE_INGEST_TOKEN).toBeUndefined();
    expect(loadIngestConfig({ KAFKA_BROKERS: 'k:9092', SURGE_INGEST_TOKEN: '' }).SURGE_INGEST_TOKEN).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    let message = '';
    try {
      loadIngestConfig({
        SURGE_INGEST_OPEN: 'maybe',
        SURGE_REMOTE_WRITE_TARGET_LABELS: 'a-b',
        SURGE_INGEST_MAX_BODY_BYTES: 'lots',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid environment variables for metrics-ingest: /);
    expect(message).toContain('SURGE_INGEST_OPEN: ');
    expect(message).toContain('SURGE_REMOTE_WRITE_TARGET_LABELS: "a-b" is not a list of label names');
    for (const name of ['KAFKA_BROKERS', 'SURGE_INGEST_MAX_BODY_BYTES']) expect(message).toContain(name);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, describeConfig, envBoolean, httpEnv, kafkaEnv, loadConfig } from './index';

const schema = z.object({ ...kafkaEnv, ...httpEnv(8081), SURGE_DRY_RUN: envBoolean(false) });

describe('loadConfig', () => {
  it('applies defaults and parses typed values', () => {
    const config = loadConfig('test', schema, { KAFKA_BROKERS: 'a:1, b:2', PORT: '9000' });
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.PORT).toBe(9000);
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.SURGE_DRY_RUN).toBe(false);
    expect(config.SURGE_TOPIC_PARTITIONS).toBe(6);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig('ingest', schema, { PORT: 'abc', SURGE_DRY_RUN: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid environment variables for ingest: /);
    expect(message).toContain('KAFKA_BROKERS');
    expect(message).toContain('PORT');
    expect(message).toContain('SURGE_DRY_RUN');
  });

  it('describes the schema for the docs', () => {
    const rows = describeConfig(schema);
    const brokers = rows.find((r) => r.name === 'KAFKA_BROKERS');
    expect(brokers).toMatchObject({ required: true, default: '' });
    expect(rows.find((r) => r.name === 'PORT')).toMatchObject({ required: false, default: '8081' });
  });
});

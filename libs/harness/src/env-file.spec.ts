import { describe, expect, it } from 'vitest';
import { parseEnv } from './env-file';

describe('parseEnv', () => {
  it.each([
    ['KAFKA_BROKERS=127.0.0.1:9092', { KAFKA_BROKERS: '127.0.0.1:9092' }],
    ['# comment\n\nREDIS_URL = redis://127.0.0.1:6379  ', { REDIS_URL: 'redis://127.0.0.1:6379' }],
    [
      'DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' },
    ],
    ['A=1\nB=x=y', { A: '1', B: 'x=y' }],
    ['not a line\n=nokey', {}],
  ])('parses %j', (text, expected) => {
    expect(parseEnv(text)).toEqual(expected);
  });
});

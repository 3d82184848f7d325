import { describe, expect, it } from 'vitest';
import { HarnessError, waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves once the check answers true', async () => {
    let calls = 0;
    await waitFor(async () => ++calls >= 3, { what: 'thing', fix: 'none', timeoutMs: 1_000, intervalMs: 1 });
    expect(calls).toBe(3);
  });

  it('times out with the last error and the fix in one message', async () => {
    const waiting = waitFor(
      async () => {
        throw new Error('ECONNREFUSED');
      },
      { what: 'Kafka at 127.0.0.1:1', fix: 'set KAFKA_BROKERS', timeoutMs: 30, intervalMs: 5 },
    );
    await expect(waiting).rejects.toThrow(HarnessError);
    await expect(waiting).rejects.toThrow(
      /^Kafka at 127\.0\.0\.1:1 did not answer within 30 ms \(last error: ECONNREFUSED\)\. Fix: set KAFKA_BROKERS$/,
    );
  });

  it('stops early when the awaited process already exited', async () => {
    const started = Date.now();
    const waiting = waitFor(async () => false, {
      what: 'Redis',
      fix: 'see redis.log',
      timeoutMs: 10_000,
      abortReason: () => 'redis-server exited with code 1',
    });
    await expect(waiting).rejects.toThrow('Redis failed: redis-server exited with code 1. Fix: see redis.log');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

import { describe, expect, it } from 'vitest';
import { brokerKill } from './experiments/broker-kill';

/**
 * One of three brokers (a private cluster from the harness) killed with -9 under ingest load, metrics-ingest
 * from dist: ingest keeps answering 202 but for a leader election, every acknowledged sample is on the topic
 * once, a consumer group keeps consuming. The same experiment `npm run chaos -- broker-kill-3` runs.
 */
describe('metrics-ingest through a kill -9 of one of three brokers', () => {
  it('loses nothing acknowledged, duplicates nothing, refuses only during the election', async () => {
    const result = await brokerKill({ experiment: 'one of three brokers kill -9', nodes: 3, outageMs: 15_000 });
    expect(result.accepted).toBeGreaterThan(1_000);
    expect(result.checks, result.notes).toEqual(Object.fromEntries(Object.keys(result.checks).map((k) => [k, true])));
    expect(result.lost, result.notes).toBe(0);
    expect(result.duplicated, result.notes).toBe(0);
  }, 170_000);
});

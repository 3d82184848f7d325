import type { DeadLetterRecord } from '@surge/contracts';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { RunningConsumer } from './running-consumer';
import { consumerMetricsFor } from './consumer-metrics';

function consumerWith(groupId: string, lags: Record<string, number>): RunningConsumer {
  return {
    groupId,
    stop: async () => undefined,
    lag: () => Object.values(lags).reduce((sum, lag) => sum + lag, 0),
    lagByTopic: () => new Map(Object.entries(lags)),
    retrying: () => [],
  };
}

const deadLetter = (topic: string, reason: DeadLetterRecord['reason']) =>
  ({ source: { topic, partition: 0, offset: '1' }, reason }) as DeadLetterRecord;

describe('consumer metrics', () => {
  it('exports the lag of every watched consumer by group and topic, and forgets unwatched ones', async () => {
    const registry = new Registry();
    const metrics = consumerMetricsFor(registry);
    const samples = consumerWith('rules', { 'surge.samples': 12, 'surge.actions': 0 });
    metrics.watch(samples);
    metrics.watch(consumerWith('audit', { 'surge.decisions': 3 }));
    const values = async () => (await registry.getSingleMetric('surge_consumer_lag')!.get()).values;
    expect(await values()).toEqual(
      expect.arrayContaining([
        { value: 12, labels: { group: 'rules', topic: 'surge.samples' } },
        { value: 0, labels: { group: 'rules', topic: 'surge.actions' } },
        { value: 3, labels: { group: 'audit', topic: 'surge.decisions' } },
      ]),
    );
    metrics.unwatch(samples);
    expect(await values()).toEqual([{ value: 3, labels: { group: 'audit', topic: 'surge.decisions' } }]);
  });

  it('counts dead letters by source topic and reason, one instance per registry', async () => {
    const registry = new Registry();
    consumerMetricsFor(registry).countDeadLetter(deadLetter('surge.samples', 'schema-violation'));
    consumerMetricsFor(registry).countDeadLetter(deadLetter('surge.samples', 'schema-violation'));
    consumerMetricsFor(registry).countDeadLetter(deadLetter('surge.decisions', 'handler-failed'));
    const text = await registry.metrics();
    expect(text).toContain('surge_dead_letters_total{topic="surge.samples",reason="schema-violation"} 2');
    expect(text).toContain('surge_dead_letters_total{topic="surge.decisions",reason="handler-failed"} 1');
  });
});

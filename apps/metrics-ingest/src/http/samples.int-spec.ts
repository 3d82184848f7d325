import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokersFromEnv, type IngestTestApp, postJson, readTopic, startIngest } from '../testing/ingest-test-app';

describe('POST /v1/samples against real Kafka', () => {
  let ingest: IngestTestApp;
  const brokers = () => brokersFromEnv();

  beforeAll(async () => {
    ingest = await startIngest({ KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '' });
  });
  afterAll(async () => ingest?.close());

  it('answers 202 once Kafka holds every sample, one message per target keyed by target id, in order', async () => {
    const now = Date.now();
    const samples = [
      {
        target: 'shop/api',
        metric: 'http_requests_per_second',
        value: 120.5,
        timestamp: now - 3000,
        labels: { pod: 'api-1' },
      },
      { target: 'shop/worker', metric: 'queue_depth', value: 42, timestamp: new Date(now - 2000).toISOString() },
      { target: 'shop/api', metric: 'http_requests_per_second', value: 130, timestamp: now - 2000 },
      { target: 'shop/api', metric: 'cpu_utilization', value: 0.75, timestamp: now - 1000, extra: 'stripped' },
    ];
    const response = await postJson(`${ingest.url}/v1/samples`, { samples }, ingest.auth);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ samples: 4, messages: 2 });

    const messages = await readTopic(brokers(), ingest.topic, 2);
    expect(messages).toHaveLength(2);
    const byKey = Object.fromEntries(messages.map((m) => [m.key, m.value]));
    expect(byKey['shop/api']).toEqual({
      schemaVersion: 1,
      target: 'shop/api',
      samples: [
        {
          schemaVersion: 1,
          target: 'shop/api',
          metric: 'http_requests_per_second',
          value: 120.5,
          timestamp: now - 3000,
          labels: { pod: 'api-1' },
        },
        { schemaVersion: 1, target: 'shop/api', metric: 'http_requests_per_second', value: 130, timestamp: now - 2000 },
        { schemaVersion: 1, target: 'shop/api', metric: 'cpu_utilization', value: 0.75, timestamp: now - 1000 },
      ],
    });
    expect(byKey['shop/worker']).toEqual({
      schemaVersion: 1,
      target: 'shop/worker',
      samples: [{ schemaVersion: 1, target: 'shop/worker', metric: 'queue_depth', value: 42, timestamp: now - 2000 }],
    });
  });

  it('keeps one target on one partition across batches, and counts what it received', async () => {
    const now = Date.now();
    for (let batch = 0; batch < 5; batch++) {
      const samples = ['a/one', 'b/two', 'c/three'].map((target) => ({
        target,
        metric: 'depth',
        value: batch,
        timestamp: now,
      }));
      expect((await postJson(`${ingest.url}/v1/samples`, { samples }, ingest.auth)).status).toBe(202);
    }
    const messages = (await readTopic(brokers(), ingest.topic, 2 + 15)).filter(
      (m) => m.key !== 'shop/api' && m.key !== 'shop/worker',
    );
    for (const target of ['a/one', 'b/two', 'c/three']) {
      const mine = messages.filter((m) => m.key === target);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      expect(mine.map((m) => (m.value as { samples: { value: number }[] }).samples[0]!.value)).toEqual([0, 1, 2, 3, 4]);
    }
    const metrics = await (await fetch(`${ingest.url}/metrics`)).text();
    expect(metrics).toMatch(/surge_ingest_samples_received_total\{source="json"\} 19/);
    expect(metrics).toMatch(/surge_ingest_produce_duration_seconds_count\{outcome="acked"\} 6/);
    expect(metrics).toMatch(/surge_ingest_batch_samples_count\{source="json"\} 6/);
  });

  it('reports ready with Kafka and live', async () => {
    const ready = await fetch(`${ingest.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { kafka: { ok: true } } });
    expect((await fetch(`${ingest.url}/health/live`)).status).toBe(200);
  });
});

import { pushTimeseries } from 'prometheus-remote-write';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokersFromEnv, type IngestTestApp, readTopic, startIngest, testToken } from '../testing/ingest-test-app';

const TOKEN = testToken();

// prometheus-remote-write is an independent encoder (its own compiled prompb schema and snappyjs), so these
// tests check our decoder against someone else's reading of the spec, not against itself.
function push(url: string, series: Parameters<typeof pushTimeseries>[0], token = TOKEN) {
  return pushTimeseries(series, {
    url: `${url}/api/v1/write`,
    headers: { authorization: `Bearer ${token}` },
    fetch: (target, init) => fetch(target, { ...init, body: init?.body as BodyInit }) as never,
  });
}

describe('POST /api/v1/write (Prometheus remote-write 1.0) against real Kafka', () => {
  let ingest: IngestTestApp;

  beforeAll(async () => {
    ingest = await startIngest({
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
      SURGE_INGEST_TOKEN: TOKEN,
      SURGE_REMOTE_WRITE_TARGET_LABELS: 'surge_target,namespace/deployment',
    });
  });
  afterAll(async () => ingest?.close());

  it('lands mapped series as the right samples, drops unmapped ones, answers 204', async () => {
    const t = Date.now() - 10_000;
    const result = await push(ingest.url, [
      {
        labels: { __name__: 'http_requests_per_second', namespace: 'shop', deployment: 'api', pod: 'api-7' },
        samples: [
          { value: 10, timestamp: t },
          { value: 12, timestamp: t + 1000 },
        ],
      },
      { labels: { __name__: 'queue_depth', surge_target: 'queues/orders' }, samples: [{ value: 250, timestamp: t }] },
      { labels: { __name__: 'up', job: 'node' }, samples: [{ value: 1, timestamp: t }] },
    ]);
    expect(result.status).toBe(204);

    const messages = await readTopic(brokersFromEnv(), ingest.topic, 2);
    expect(messages.map((m) => m.key).sort()).toEqual(['queues/orders', 'shop/api']);
    const byKey = Object.fromEntries(messages.map((m) => [m.key, m.value]));
    // The series' labels (pod, …) are not copied: the target id already holds the ones that name it.
    expect(byKey['shop/api']).toEqual({
      schemaVersion: 1,
      target: 'shop/api',
      samples: [
        { schemaVersion: 1, target: 'shop/api', metric: 'http_requests_per_second', value: 10, timestamp: t },
        {
          schemaVersion: 1,
          target: 'shop/api',
          metric: 'http_requests_per_second',
          value: 12,
          timestamp: t + 1000,
        },
      ],
    });
    expect(byKey['queues/orders']).toEqual({
      schemaVersion: 1,
      target: 'queues/orders',
      samples: [
        {
          schemaVersion: 1,
          target: 'queues/orders',
          metric: 'queue_depth',
          value: 250,
          timestamp: t,
        },
      ],
    });
    const metrics = await (await fetch(`${ingest.url}/metrics`)).text();
    expect(metrics).toMatch(/surge_ingest_samples_received_total\{source="remote_write"\} 4/);
    expect(metrics).toMatch(/surge_ingest_samples_rejected_total\{source="remote_write",reason="unmapped_series"\} 1/);
  });

  it("drops and counts series named after a target's setting, and still takes the rest of the write", async () => {
    const t = Date.now() - 5_000;
    const result = await push(ingest.url, [
      { labels: { __name__: 'replicas', surge_target: 'demo/shop' }, samples: [{ value: 1_000_000, timestamp: t }] },
      { labels: { __name__: 'inflight_requests', surge_target: 'demo/shop' }, samples: [{ value: 7, timestamp: t }] },
    ]);
    expect(result.status).toBe(204);
    const messages = await readTopic(brokersFromEnv(), ingest.topic, 3);
    const shop = messages.filter((m) => m.key === 'demo/shop');
    expect(shop).toHaveLength(1);
    expect((shop[0]!.value as { samples: { metric: string }[] }).samples.map((s) => s.metric)).toEqual([
      'inflight_requests',
    ]);
    const metrics = await (await fetch(`${ingest.url}/metrics`)).text();
    expect(metrics).toMatch(/surge_ingest_samples_rejected_total\{source="remote_write",reason="reserved_metric"\} 1/);
  });

  it('400 on a body that does not decode, so Prometheus does not retry it', async () => {
    const response = await fetch(`${ingest.url}/api/v1/write`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'snappy',
        authorization: `Bearer ${TOKEN}`,
      },
      body: Buffer.from('this is not snappy at all'),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'undecodable', message: expect.stringContaining('snappy') });
  });

  it('401 with a wrong token', async () => {
    const result = await push(
      ingest.url,
      { labels: { __name__: 'up', surge_target: 'x/y' }, samples: [{ value: 1 }] },
      'wrong-token',
    );
    expect(result.status).toBe(401);
  });
});

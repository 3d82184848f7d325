import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brokersFromEnv,
  type IngestTestApp,
  postJson,
  startIngest,
  topicMessageCount,
  uniqueTopic,
} from '../testing/ingest-test-app';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('metrics-ingest when Kafka cannot take a batch', () => {
  let ingest: IngestTestApp;
  const topic = uniqueTopic('down');
  const sample = { target: 'shop/api', metric: 'queue_depth', value: 5, timestamp: Date.now() };

  beforeAll(async () => {
    ingest = await startIngest(
      {
        KAFKA_BROKERS: `127.0.0.1:${await closedPort()}`,
        SURGE_TOPIC_SAMPLES: topic,
        SURGE_INGEST_RETRY_AFTER_SECONDS: '7',
      },
      { waitForKafka: false },
    );
  });
  afterAll(async () => ingest?.close());

  it('answers 503 with Retry-After on the JSON API, never 202', async () => {
    const response = await postJson(`${ingest.url}/v1/samples`, { samples: [sample] }, ingest.auth);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ error: 'kafka_unavailable', message: expect.stringContaining('retry') });
  });

  it('answers 503 on remote-write, so Prometheus retries', async () => {
    const { pushTimeseries } = await import('prometheus-remote-write');
    const result = await pushTimeseries(
      { labels: { __name__: 'up', surge_target: 'x/y' }, samples: [{ value: 1 }] },
      {
        url: `${ingest.url}/api/v1/write`,
        headers: ingest.auth,
        fetch: (url, init) => fetch(url, { ...init, body: init?.body as BodyInit }) as never,
      },
    );
    expect(result.status).toBe(503);
  });

  it('reports not ready, but live', async () => {
    const ready = await fetch(`${ingest.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, checks: { kafka: { ok: false } } });
    expect((await fetch(`${ingest.url}/health/live`)).status).toBe(200);
  });

  it('left nothing of the refused batches in Kafka', async () => {
    expect(await topicMessageCount(brokersFromEnv(), topic)).toBe(0);
    const metrics = await (await fetch(`${ingest.url}/metrics`)).text();
    expect(metrics).toMatch(/surge_ingest_samples_rejected_total\{source="json",reason="kafka_unavailable"\} 1/);
  });
});

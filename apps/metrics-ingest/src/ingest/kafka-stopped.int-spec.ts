import os from 'node:os';
import path from 'node:path';
import { type LocalKafka, startLocalKafka } from '@surge/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestTestApp, postJson, startIngest } from '../testing/ingest-test-app';

// A private broker, because stopping the shared one would break every other test.
describe('metrics-ingest when its Kafka broker stops', () => {
  let kafka: LocalKafka;
  let ingest: IngestTestApp;
  const sample = () => ({ target: 'shop/api', metric: 'queue_depth', value: 5, timestamp: Date.now() });

  beforeAll(async () => {
    kafka = await startLocalKafka({ dataDir: path.join(os.tmpdir(), `surge-ingest-stop-${process.pid}`) });
    ingest = await startIngest({ KAFKA_BROKERS: kafka.brokers, SURGE_INGEST_PRODUCE_TIMEOUT_MS: '3000' });
  }, 120_000);
  afterAll(async () => {
    await ingest?.close();
    await kafka?.stop();
  });

  it('accepts while the broker is up, then answers 503 with Retry-After within the produce deadline', async () => {
    expect((await postJson(`${ingest.url}/v1/samples`, { samples: [sample()] }, ingest.auth)).status).toBe(202);
    await kafka.stop();
    const started = Date.now();
    const response = await postJson(`${ingest.url}/v1/samples`, { samples: [sample()] }, ingest.auth);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(/^kafka_/) });
    expect(Date.now() - started).toBeLessThan(3000 + 1000);
    const ready = await fetch(`${ingest.url}/health/ready`);
    expect(ready.status).toBe(503);
  });
});

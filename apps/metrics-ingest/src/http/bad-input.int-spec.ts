import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brokersFromEnv,
  type IngestTestApp,
  postJson,
  startIngest,
  testToken,
  topicMessageCount,
} from '../testing/ingest-test-app';

const TOKEN = testToken();

describe('POST /v1/samples rejects bad input and writes nothing', () => {
  let ingest: IngestTestApp;
  const now = Date.now();
  const good = { target: 'shop/api', metric: 'queue_depth', value: 1, timestamp: now };
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    ingest = await startIngest({
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
      SURGE_INGEST_TOKEN: TOKEN,
      SURGE_INGEST_MAX_BODY_BYTES: '4096',
    });
  });
  afterAll(async () => ingest?.close());

  it.each([
    ['a missing target', { ...good, target: undefined }, 'samples.1.target'],
    ['a NaN string value', { ...good, value: 'NaN' }, 'samples.1.value'],
    ['a string value', { ...good, value: 'twelve' }, 'samples.1.value'],
    ['a timestamp 10 minutes in the future', { ...good, timestamp: now + 600_000 }, 'samples.1.timestamp'],
    ['a malformed metric name', { ...good, metric: 'queue depth!' }, 'samples.1.metric'],
    ['a non-string label value', { ...good, labels: { zone: 1 } }, 'samples.1.labels.zone'],
    ["a target's setting, which only its executor reports", { ...good, metric: 'replicas' }, 'samples.1.metric'],
  ])('400 for %s, naming the field', async (_name, bad, path) => {
    const response = await postJson(`${ingest.url}/v1/samples`, { samples: [good, bad] }, auth);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'validation_failed',
      message: '1 invalid sample(s); nothing of this batch was accepted',
      issues: [{ path, message: expect.any(String) }],
    });
  });

  it('400 for replicas=1000000, naming the reserved metric and where it is', async () => {
    const injected = { target: 'demo/shop', metric: 'replicas', value: 1_000_000, timestamp: now };
    const response = await postJson(`${ingest.url}/v1/samples`, { samples: [good, good, good, injected] }, auth);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'validation_failed',
      message: '1 invalid sample(s); nothing of this batch was accepted',
      issues: [{ path: 'samples.3.metric', message: expect.stringContaining('"replicas" is a reserved setting name') }],
    });
  });

  it('lists every bad field of a batch at once', async () => {
    const response = await postJson(
      `${ingest.url}/v1/samples`,
      { samples: [{ metric: '1x', value: 'NaN', timestamp: now + 3_600_000 }, good] },
      auth,
    );
    const body = (await response.json()) as { issues: { path: string }[] };
    expect(response.status).toBe(400);
    expect(body.issues.map((i) => i.path).sort()).toEqual([
      'samples.0.metric',
      'samples.0.target',
      'samples.0.timestamp',
      'samples.0.value',
    ]);
  });

  const malformedBatch = {
    error: 'validation_failed',
    message: 'malformed batch; nothing of this batch was accepted',
    issues: [{ path: 'samples', message: expect.any(String) }],
  };
  it.each([
    ['an empty batch', { samples: [] }, malformedBatch],
    ['a body without samples', { data: [] }, malformedBatch],
    ['malformed JSON', '{"samples": [', { error: expect.any(String), message: expect.stringContaining('JSON') }],
  ])('400 for %s', async (_name, body, expected) => {
    const response = await postJson(`${ingest.url}/v1/samples`, body, auth);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(expected);
  });

  it('400 for a batch of broken samples, listing the first 100 issues and saying the rest was not checked', async () => {
    const samples = Array.from({ length: 1000 }, () => ({}));
    const response = await postJson(`${ingest.url}/v1/samples`, { samples }, auth);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; issues: { path: string }[] };
    expect(body.message).toBe(
      '25 invalid sample(s) in the first 25 of 1000, the rest unchecked; nothing of this batch was accepted',
    );
    expect(body.issues).toHaveLength(100);
  });

  it('413 past SURGE_INGEST_MAX_BODY_BYTES', async () => {
    const samples = Array.from({ length: 100 }, (_, i) => ({ ...good, value: i }));
    const response = await postJson(`${ingest.url}/v1/samples`, { samples }, auth);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'payload_too_large', message: expect.any(String) });
  });

  it('401 without the bearer token, or with a wrong one', async () => {
    expect((await postJson(`${ingest.url}/v1/samples`, { samples: [good] })).status).toBe(401);
    const wrong = await postJson(`${ingest.url}/v1/samples`, { samples: [good] }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'unauthorized', message: 'invalid ingest token' });
  });

  it('wrote nothing for any of them, and counted the rejections by reason', async () => {
    expect(await topicMessageCount(brokersFromEnv(), ingest.topic)).toBe(0);
    const metrics = await (await fetch(`${ingest.url}/metrics`)).text();
    for (const reason of [
      'invalid_target',
      'invalid_value',
      'future_timestamp',
      'invalid_metric',
      'invalid_labels',
      'reserved_metric',
      'batch_rejected',
    ]) {
      expect(metrics).toMatch(
        new RegExp(`surge_ingest_samples_rejected_total\\{source="json",reason="${reason}"\\} [1-9]`),
      );
    }
  });
});

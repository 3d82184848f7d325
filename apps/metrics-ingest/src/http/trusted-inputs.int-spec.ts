import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pushTimeseries } from 'prometheus-remote-write';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brokersFromEnv,
  type IngestTestApp,
  postJson,
  readTopic,
  startIngest,
  testToken,
  topicMessageCount,
} from '../testing/ingest-test-app';

const sha = (token: string) => createHash('sha256').update(token).digest('hex');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (token: string) => ({ authorization: `Basic ${Buffer.from(`prometheus:${token}`).toString('base64')}` });

function push(url: string, series: Parameters<typeof pushTimeseries>[0], headers: Record<string, string>) {
  return pushTimeseries(series, {
    url: `${url}/api/v1/write`,
    headers,
    fetch: (target, init) => fetch(target, { ...init, body: init?.body as BodyInit }) as never,
  });
}

// Hole 1 of "Trusted inputs": whoever can reach ingest could write any target. Now each source has its own
// token, and writes only the targets its patterns allow.
describe('ingest credentials: named sources, each limited to its targets', () => {
  let ingest: IngestTestApp;
  const shop = testToken();
  const prometheus = testToken();
  const sample = (target: string) => ({ target, metric: 'queue_depth', value: 3, timestamp: Date.now() - 1000 });

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'surge-ingest-'));
    const file = path.join(dir, 'tokens.yaml');
    writeFileSync(
      file,
      `sources:\n` +
        `  - { name: demo-shop, tokenSha256: ${sha(shop)}, targets: ['demo/*'] }\n` +
        `  - { name: prometheus, tokenSha256: ${sha(prometheus)}, targets: ['shop/*', 'queues/orders'] }\n`,
    );
    ingest = await startIngest({
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
      SURGE_INGEST_TOKENS_FILE: file,
      SURGE_INGEST_MAX_TARGETS_PER_MINUTE: '5',
    });
  });
  afterAll(async () => ingest?.close());

  it('401 on both endpoints without a credential, with a wrong one, or with the hash instead of the token', async () => {
    for (const headers of [{}, bearer(testToken()), bearer(sha(shop)), basic(testToken()), { authorization: shop }]) {
      const json = await postJson(`${ingest.url}/v1/samples`, { samples: [sample('demo/shop')] }, headers);
      expect(json.status).toBe(401);
      expect(await json.json()).toMatchObject({ error: 'unauthorized' });
      const rw = await push(
        ingest.url,
        { labels: { __name__: 'up', surge_target: 'shop/api' }, samples: [{ value: 1 }] },
        headers,
      );
      expect(rw.status).toBe(401);
    }
  });

  it('takes a source’s own targets with its bearer token or as the basic-auth password', async () => {
    expect((await postJson(`${ingest.url}/v1/samples`, { samples: [sample('demo/shop')] }, bearer(shop))).status).toBe(
      202,
    );
    expect((await postJson(`${ingest.url}/v1/samples`, { samples: [sample('demo/cart')] }, basic(shop))).status).toBe(
      202,
    );
    const series = { labels: { __name__: 'rps', namespace: 'shop', deployment: 'api' }, samples: [{ value: 2 }] };
    expect((await push(ingest.url, series, basic(prometheus))).status).toBe(204);
    expect((await push(ingest.url, series, bearer(prometheus))).status).toBe(204);
    const messages = await readTopic(brokersFromEnv(), ingest.topic, 4);
    expect(messages.map((m) => m.key).sort()).toEqual(['demo/cart', 'demo/shop', 'shop/api', 'shop/api']);
  });

  it('403 naming every target outside the source’s patterns, and writes nothing of that batch', async () => {
    const before = await topicMessageCount(brokersFromEnv(), ingest.topic);
    const injected = { target: 'shop/api', metric: 'cpu_utilization', value: 1e6, timestamp: Date.now() - 1000 };
    const response = await postJson(
      `${ingest.url}/v1/samples`,
      { samples: [sample('demo/shop'), injected, sample('db/main')] },
      bearer(shop),
    );
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: string; message: string; issues: { message: string }[] };
    expect(body.error).toBe('forbidden_target');
    expect(body.message).toBe('source "demo-shop" may not write 2 target(s): shop/api, db/main');
    expect(body.issues.map((i) => i.message)).toEqual([
      '"shop/api" is not among the targets "demo-shop" may write',
      '"db/main" is not among the targets "demo-shop" may write',
    ]);
    const rw = await push(
      ingest.url,
      { labels: { __name__: 'rps', surge_target: 'demo/shop' }, samples: [{ value: 1 }] },
      bearer(prometheus),
    );
    expect(rw.status).toBe(403);
    expect(await topicMessageCount(brokersFromEnv(), ingest.topic)).toBe(before);
  });

  it('429 with Retry-After past the distinct targets a source may write per minute', async () => {
    // demo-shop wrote demo/shop and demo/cart already; 5 per minute leaves room for 3 more.
    const three = ['demo/a', 'demo/b', 'demo/c'].map(sample);
    expect((await postJson(`${ingest.url}/v1/samples`, { samples: three }, bearer(shop))).status).toBe(202);
    const response = await postJson(`${ingest.url}/v1/samples`, { samples: [sample('demo/d')] }, bearer(shop));
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({
      error: 'too_many_targets',
      message: expect.stringContaining('at most 5 distinct targets per minute'),
      issues: [{ path: 'target', message: expect.any(String) }],
    });
    // A target already written this minute is still taken.
    expect((await postJson(`${ingest.url}/v1/samples`, { samples: [sample('demo/a')] }, bearer(shop))).status).toBe(
      202,
    );
  });
});

// Hole 3: unbounded inputs. Each limit answers before any work is done, naming the field.
describe('ingest limits', () => {
  let ingest: IngestTestApp;
  const now = Date.now() - 1000;
  const good = { target: 'shop/api', metric: 'queue_depth', value: 1, timestamp: now };

  beforeAll(async () => {
    ingest = await startIngest({ KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '' });
  });
  afterAll(async () => ingest?.close());

  it.each([
    ['a 201-character metric name', { ...good, metric: 'm'.repeat(201) }, 'samples.0.metric', 'at most 200 characters'],
    [
      '33 labels',
      { ...good, labels: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`l${i}`, 'v'])) },
      'samples.0.labels',
      'at most 32 labels',
    ],
    [
      'a 129-character label name',
      { ...good, labels: { ['n'.repeat(129)]: 'v' } },
      `samples.0.labels.${'n'.repeat(64)}`,
      'at most 128 characters',
    ],
    [
      'a 513-character label value',
      { ...good, labels: { zone: 'v'.repeat(513) } },
      'samples.0.labels.zone',
      'at most 512 characters',
    ],
    [
      'a timestamp 60 s ahead (default skew 30 s)',
      { ...good, timestamp: Date.now() + 60_000 },
      'samples.0.timestamp',
      'not be more than 30 s in the future',
    ],
  ])('400 for %s, naming the field', async (_name, bad, pathName, message) => {
    const response = await postJson(`${ingest.url}/v1/samples`, { samples: [bad] }, ingest.auth);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      issues: [{ path: pathName, message: expect.stringContaining(message) }],
    });
  });

  it('413 for more than 10,000 samples in one request, before validating them', async () => {
    const samples = Array.from({ length: 10_001 }, () => ({ bad: true }));
    const response = await postJson(`${ingest.url}/v1/samples`, { samples }, ingest.auth);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: 'too_many_samples',
      issues: [{ path: 'samples', message: 'must hold at most 10000 samples' }],
    });
  });

  it('413 for a remote-write body announcing more than 4 MiB decoded, from the snappy header', async () => {
    // 16 MiB of zeros is ~770 KB compressed: under the body limit, a bomb once decoded.
    const response = await fetch(`${ingest.url}/api/v1/write`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', ...ingest.auth },
      body: new Uint8Array(compressSync(Buffer.alloc(16 * 1024 * 1024))),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: 'decoded_too_large',
      message: expect.stringContaining('at most 4194304 (SURGE_REMOTE_WRITE_MAX_DECODED_BYTES)'),
      issues: [{ path: 'body' }],
    });
  });

  it('413 for a remote-write of more than 10,000 samples', async () => {
    const samples = Array.from({ length: 10_001 }, (_, i) => ({ value: i, timestamp: now - i }));
    const result = await push(
      ingest.url,
      { labels: { __name__: 'rps', surge_target: 'shop/api' }, samples },
      ingest.auth,
    );
    expect(result.status).toBe(413);
  });
});

// Hole 3, last part: a batch above the broker's message size was answered 503 kafka_unavailable, retried forever.
describe('a per-target batch above the broker message size', () => {
  let ingest: IngestTestApp;

  beforeAll(async () => {
    ingest = await startIngest({ KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '' });
  });
  afterAll(async () => ingest?.close());

  it('is split into messages under it, same key, in order, and answered 202', async () => {
    const t = Date.now() - 60_000;
    // ~1.6 MB of one target: above the broker's 1 MB default, under the 8 MiB body limit.
    const samples = Array.from({ length: 5000 }, (_, i) => ({
      target: 'shop/big',
      metric: 'queue_depth',
      value: i,
      timestamp: t + i,
      labels: { zone: `z-${'x'.repeat(240)}` },
    }));
    const response = await postJson(`${ingest.url}/v1/samples`, { samples }, ingest.auth);
    expect(response.status).toBe(202);
    const receipt = (await response.json()) as { samples: number; messages: number };
    expect(receipt.samples).toBe(5000);
    expect(receipt.messages).toBeGreaterThan(1);
    const messages = await readTopic(brokersFromEnv(), ingest.topic, receipt.messages);
    expect(messages).toHaveLength(receipt.messages);
    expect(new Set(messages.map((m) => m.key))).toEqual(new Set(['shop/big']));
    const values = messages.flatMap((m) => (m.value as { samples: { value: number }[] }).samples.map((s) => s.value));
    expect(values).toEqual(samples.map((s) => s.value));
  });

  it('413 naming the limit for a single sample that cannot fit in one message', async () => {
    const small = await startIngest({
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
      KAFKA_MAX_MESSAGE_BYTES: '16384',
    });
    try {
      const labels = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`l${i}`, 'v'.repeat(512)]));
      const response = await postJson(
        `${small.url}/v1/samples`,
        { samples: [{ target: 'shop/big', metric: 'rps', value: 1, timestamp: Date.now(), labels }] },
        small.auth,
      );
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({
        error: 'sample_too_large',
        message: expect.stringContaining('KAFKA_MAX_MESSAGE_BYTES=16384'),
        issues: [{ path: 'samples', message: expect.stringContaining('"shop/big"') }],
      });
      expect(await topicMessageCount(brokersFromEnv(), small.topic)).toBe(0);
    } finally {
      await small.close();
    }
  });
});

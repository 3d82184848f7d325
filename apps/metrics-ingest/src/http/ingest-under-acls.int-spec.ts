import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DEFAULT_TOPICS } from '@surge/contracts';
import { startLocalKafka, type LocalKafka } from '@surge/harness';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startIngest, type IngestTestApp } from '../testing/ingest-test-app';

/**
 * The whole service, not just a client, under the broker's ACLs: metrics-ingest boots as `surge-ingest` on a SCRAM
 * listener where that principal may write the samples topic and nothing else, accepts a batch, and the rules
 * engine's principal reads it back. A private broker: the shared one has no SASL listener.
 */
describe('metrics-ingest on a broker with SCRAM logins and the topic ACLs', () => {
  let broker: LocalKafka;
  let ingest: IngestTestApp;
  let secrets: string;

  const passwordFile = (principal: 'surge-ingest' | 'surge-rules-engine'): string => {
    const file = path.join(secrets, principal);
    fs.writeFileSync(file, `${broker.credentials!.services[principal].password}\n`, { mode: 0o600 });
    return file;
  };

  beforeAll(async () => {
    broker = await startLocalKafka({ secure: true });
    secrets = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-ingest-acls-'));
    ingest = await startIngest({
      KAFKA_BROKERS: broker.brokers,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'surge-ingest',
      KAFKA_SASL_PASSWORD_FILE: passwordFile('surge-ingest'),
      SURGE_TOPIC_SAMPLES: DEFAULT_TOPICS.samples,
      SURGE_TOPIC_PARTITIONS: '1',
    });
  }, 180_000);

  afterAll(async () => {
    await ingest?.close();
    await broker?.stop();
    if (secrets) fs.rmSync(secrets, { recursive: true, force: true });
  });

  it('boots as its own principal, accepts samples, and the rules engine principal reads them', async () => {
    const target = `acl/${randomUUID().slice(0, 8)}`;
    const res = await postJson(
      `${ingest.url}/v1/samples`,
      { samples: [{ target, metric: 'cpu', value: 0.5, timestamp: Date.now() }] },
      ingest.auth,
    );
    expect(res.status).toBe(202);

    const kafka = new Kafka({
      clientId: 'surge-rules-engine',
      brokers: broker.brokers.split(','),
      sasl: {
        mechanism: 'scram-sha-512',
        username: 'surge-rules-engine',
        password: broker.credentials!.services['surge-rules-engine'].password,
      },
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `acl-reader-${randomUUID()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [DEFAULT_TOPICS.samples], fromBeginning: true });
      const received = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no sample on the topic within 30 s')), 30_000);
        consumer
          .run({
            eachMessage: async ({ message }) => {
              const value = message.value?.toString() ?? '';
              if (value.includes(target)) {
                clearTimeout(timer);
                resolve(value);
              }
            },
          })
          .catch(reject);
      });
      expect(received).toContain('"metric":"cpu"');
    } finally {
      await consumer.disconnect();
    }
  }, 90_000);
});

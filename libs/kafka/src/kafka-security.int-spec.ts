import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaEnv, loadConfig } from '@surge/config';
import { DEFAULT_TOPICS, type SurgePrincipal } from '@surge/contracts';
import { startLocalKafka, type LocalKafka } from '@surge/harness';
import { createKafka, kafkaSecurityFrom } from './index';

// A private broker: the shared one has no SASL listener, and ACLs granted here must not leak to other suites.
describe('Kafka over SASL/SCRAM with the topic ACLs of the contracts', () => {
  let broker: LocalKafka;
  let secrets: string;
  const clients: Array<{ disconnect(): Promise<void> }> = [];

  beforeAll(async () => {
    broker = await startLocalKafka({ secure: true });
    secrets = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-kafka-secrets-'));
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.disconnect().catch(() => undefined);
    await broker?.stop();
    if (secrets) fs.rmSync(secrets, { recursive: true, force: true });
  });

  /** A client made the way an app makes one: env validated by the kafkaEnv schema, password from a file. */
  const kafkaAs = (principal: SurgePrincipal, password = broker.credentials!.services[principal].password): Kafka => {
    const passwordFile = path.join(secrets, `${principal}-${randomUUID()}`);
    fs.writeFileSync(passwordFile, `${password}\n`);
    const config = loadConfig(principal, z.object(kafkaEnv), {
      KAFKA_BROKERS: broker.brokers,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: principal,
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    });
    return createKafka({ brokers: config.KAFKA_BROKERS, clientId: principal, ...kafkaSecurityFrom(config) });
  };

  it('round-trips a sample from the ingest principal to the rules engine principal', async () => {
    const producer = kafkaAs('surge-ingest').producer({ idempotent: true });
    clients.push(producer);
    await producer.connect();
    const key = `target-${randomUUID()}`;
    await producer.send({ topic: DEFAULT_TOPICS.samples, acks: -1, messages: [{ key, value: 'sample' }] });

    const consumer = kafkaAs('surge-rules-engine').consumer({ groupId: `kafka-security-${randomUUID()}` });
    clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [DEFAULT_TOPICS.samples], fromBeginning: true });
    const received = await new Promise<string>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            if (message.key?.toString() === key) resolve(message.value!.toString());
          },
        })
        .catch(reject);
    });
    expect(received).toBe('sample');
  }, 60_000);

  it("refuses the ingest principal's write to the decisions topic", async () => {
    const producer = kafkaAs('surge-ingest').producer({ idempotent: true });
    clients.push(producer);
    await producer.connect();
    const refused = producer.send({ topic: DEFAULT_TOPICS.decisions, acks: -1, messages: [{ value: 'forged' }] });
    await expect(refused).rejects.toMatchObject({ cause: { type: 'TOPIC_AUTHORIZATION_FAILED' } });
  }, 60_000);

  it('refuses a login with a wrong password', async () => {
    const admin = kafkaAs('surge-ingest', 'not-the-password').admin();
    clients.push(admin);
    await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed|Authentication failed/i);
  }, 60_000);
});

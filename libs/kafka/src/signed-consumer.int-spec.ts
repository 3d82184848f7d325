import { randomUUID } from 'node:crypto';
import { deadLetterRecord, decode } from '@surge/contracts';
import {
  generateSigningKeyPair,
  MessageSigner,
  MessageVerifier,
  parsePrivateKey,
  parsePublicKeyList,
} from '@surge/signing';
import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { consumerMetricsFor, createKafka, ensureTopics, jsonDecoder, runConsumer, SurgeProducer } from './index';

const decodeItem = jsonDecoder('item', z.object({ n: z.number().int() }));
const brokers = () => (process.env['KAFKA_BROKERS'] ?? '').split(',');

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('signed topics against a real broker', () => {
  let kafka: Kafka;
  const trusted = generateSigningKeyPair();
  const forger = generateSigningKeyPair();

  beforeAll(() => {
    kafka = createKafka({ brokers: brokers(), clientId: 'signing-int-spec' });
  });

  it('handles only messages signed by a trusted key; forged and unsigned ones are dead-lettered and counted', async () => {
    const topic = `signed-${randomUUID()}`;
    const dlq = `dlq-${randomUUID()}`;
    await ensureTopics(kafka, [topic, dlq], 1);
    const signer = new MessageSigner('rules-1', parsePrivateKey(trusted.privateKeyPem));
    const signed = new SurgeProducer(kafka, new Map([[topic, signer]]));
    // The attacker's view: a plain kafkajs producer with network access to the broker.
    const plain = kafka.producer();
    await Promise.all([signed.connect(), plain.connect()]);
    const forgedSigner = new MessageSigner('rules-1', parsePrivateKey(forger.privateKeyPem));
    const forgedValue = JSON.stringify({ n: 2 });
    await plain.send({ topic, messages: [{ key: 'a', value: JSON.stringify({ n: 1 }) }] });
    await plain.send({
      topic,
      messages: [{ key: 'a', value: forgedValue, headers: forgedSigner.headersFor(forgedValue) }],
    });
    await signed.sendJson(topic, 'a', { n: 3 });

    const handled: number[] = [];
    const dead: unknown[] = [];
    const registry = new Registry();
    const consumer = await runConsumer({
      kafka,
      producer: signed,
      deadLetterTopic: dlq,
      metrics: consumerMetricsFor(registry),
      verifiers: new Map([[topic, new MessageVerifier(parsePublicKeyList(`rules-1=${trusted.publicKeyBase64}`))]]),
      groupId: `g-${randomUUID()}`,
      topics: [topic],
      decode: decodeItem,
      handle: async (item) => void handled.push(item.n),
      onDeadLetter: (record) => dead.push(record),
    });
    try {
      await until(() => handled.length >= 1 && dead.length >= 2);
      expect(handled).toEqual([3]);
      const records = dead.map((r) => decode('dlq', deadLetterRecord, r));
      expect(records.map((r) => r.reason)).toEqual(['signature', 'signature']);
      expect(records.map((r) => r.error)).toEqual(['signature refused: unsigned', 'signature refused: bad-signature']);
      const metric = await registry.getSingleMetricAsString('surge_signatures_refused_total');
      expect(metric).toContain(`surge_signatures_refused_total{topic="${topic}",reason="unsigned"} 1`);
      expect(metric).toContain(`surge_signatures_refused_total{topic="${topic}",reason="bad-signature"} 1`);
    } finally {
      await consumer.stop();
      await Promise.all([signed.disconnect(), plain.disconnect()]);
    }
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@surge/service-kit';
import { Kafka, logLevel } from 'kafkajs';
import { AppModule } from '../app.module';
import { loadIngestConfig } from '../config/ingest.config';
import { configureIngestHttp } from '../http/configure-http';
import { SampleProducer } from '../ingest/sample-producer.service';

export interface IngestTestApp {
  url: string;
  topic: string;
  app: NestFastifyApplication;
  /** The headers that authenticate with the token this ingest was started with (none when it was not). */
  auth: Record<string, string>;
  close(): Promise<void>;
}

/** A token as `npm start` makes one: 32 random bytes. */
export function testToken(): string {
  return randomBytes(32).toString('base64url');
}

export function uniqueTopic(prefix: string): string {
  return `test.ingest.${prefix}.${randomUUID().slice(0, 8)}`;
}

/**
 * Starts metrics-ingest in-process on a free port, with its own samples topic, the way main.ts does. Ingest never
 * runs without a credential, so unless `env` brings its own, it gets a fresh random SURGE_INGEST_TOKEN (`auth`).
 */
export async function startIngest(
  env: Record<string, string>,
  options: { waitForKafka?: boolean } = {},
): Promise<IngestTestApp> {
  const topic = env.SURGE_TOPIC_SAMPLES ?? uniqueTopic('samples');
  const credentialGiven = ['SURGE_INGEST_TOKEN', 'SURGE_INGEST_TOKENS_FILE', 'SURGE_INGEST_OPEN'].some((k) => k in env);
  const token = credentialGiven ? env.SURGE_INGEST_TOKEN : testToken();
  const config = loadIngestConfig({
    LOG_LEVEL: 'warn',
    SURGE_TOPIC_PARTITIONS: '3',
    ...(token ? { SURGE_INGEST_TOKEN: token } : {}),
    ...env,
    SURGE_TOPIC_SAMPLES: topic,
    PORT: '0',
  });
  const module = AppModule.forRoot(config) as unknown as Type<unknown>;
  const app = await createServiceApp(module, {
    name: 'metrics-ingest',
    bodyLimitBytes: config.SURGE_INGEST_MAX_BODY_BYTES,
  });
  configureIngestHttp(app);
  await app.listen(0, '127.0.0.1');
  if (options.waitForKafka !== false) await app.get(SampleProducer).whenConnected();
  const address = app.getHttpServer().address() as { port: number };
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return { url: `http://127.0.0.1:${address.port}`, topic, app, auth, close: () => app.close() };
}

export interface ReadMessage {
  key: string | null;
  partition: number;
  value: unknown;
}

/**
 * Reads a topic from the beginning with an independent kafkajs consumer until `count` messages arrived, then
 * half a second more, so a message that should not be there is caught too.
 */
export async function readTopic(brokers: string[], topic: string, count: number): Promise<ReadMessage[]> {
  const kafka = new Kafka({ clientId: 'ingest-test-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const messages: ReadMessage[] = [];
  let lastArrival = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        messages.push({
          key: message.key?.toString() ?? null,
          partition,
          value: JSON.parse(message.value!.toString()),
        });
        lastArrival = Date.now();
      },
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(messages.length >= count && Date.now() - lastArrival > 500)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** Records in a topic (high minus low watermark over its partitions); 0 also when the topic does not exist. */
export async function topicMessageCount(brokers: string[], topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'ingest-test-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export function brokersFromEnv(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers)
    throw new Error('KAFKA_BROKERS is not set: run the integration tests through vitest --project integration');
  return brokers.split(',');
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

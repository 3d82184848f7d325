import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_KAFKA_MAX_MESSAGE_BYTES } from '@surge/config';
import { type MetricSample } from '@surge/contracts';
import { freePort } from '@surge/harness';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { envelopesByTarget, toKafkaMessages } from '../../../apps/metrics-ingest/src/samples/sample-envelopes';

export interface Workload {
  body: string;
  samples: MetricSample[];
  kafkaMessages: Message[];
  kafkaBytes: number;
}

/** One batch as a client would send it: `samplesPerBatch` samples spread over `targets` targets. */
export function buildWorkload(samplesPerBatch: number, targets: number): Workload {
  const now = Date.now();
  const samples: MetricSample[] = Array.from({ length: samplesPerBatch }, (_, i) => ({
    schemaVersion: 1,
    target: `bench/svc-${i % targets}`,
    metric: i % 2 === 0 ? 'http_requests_per_second' : 'queue_depth',
    value: Math.round(Math.random() * 100_000) / 100,
    timestamp: now - (samplesPerBatch - i),
    labels: { pod: `svc-${i % targets}-${i % 3}` },
  }));
  const body = JSON.stringify({ samples: samples.map(({ schemaVersion: _v, ...rest }) => rest) });
  // The exact messages metrics-ingest produces for this batch (same code), so the baseline sends the same bytes.
  const kafkaMessages = toKafkaMessages(envelopesByTarget(samples), DEFAULT_KAFKA_MAX_MESSAGE_BYTES) as Message[];
  const kafkaBytes = kafkaMessages.reduce(
    (sum, m) => sum + Buffer.byteLength(m.value as string) + Buffer.byteLength(m.key as string),
    0,
  );
  return { body, samples, kafkaMessages, kafkaBytes };
}

export interface IngestProcess {
  url: string;
  /** The header of the bench's own source: ingest runs authenticated, as it does by default. */
  authorization: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** One metrics-ingest process, exactly as `npm start` runs it, started from the build. */
export async function startIngestProcess(root: string, brokers: string, topic: string): Promise<IngestProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: brokers,
    PORT: String(port),
    HOST: '127.0.0.1',
    SURGE_TOPIC_SAMPLES: topic,
    LOG_LEVEL: 'warn',
  };
  // Authenticated as in production: a tokens file with one source allowed the bench's targets, and its token on
  // every request, so the figure includes hashing the token and checking each batch's targets.
  const token = randomBytes(32).toString('base64url');
  const tokensFile = path.join(mkdtempSync(path.join(tmpdir(), 'surge-bench-')), 'ingest-tokens.yaml');
  const hash = createHash('sha256').update(token).digest('hex');
  writeFileSync(tokensFile, `sources:\n  - { name: bench, tokenSha256: ${hash}, targets: ['bench/*'] }\n`, {
    mode: 0o600,
  });
  delete env.SURGE_INGEST_TOKEN;
  delete env.SURGE_INGEST_OPEN;
  env.SURGE_INGEST_TOKENS_FILE = tokensFile;
  // BENCH_INGEST_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to look inside the app under load.
  const nodeArgs = process.env.BENCH_INGEST_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist/apps/metrics-ingest/src/main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`metrics-ingest exited with ${child.exitCode} before it was ready`);
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, authorization: `Bearer ${token}`, child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`metrics-ingest at ${url} not ready within 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface Baseline {
  /** Sends `batches` batches, `concurrency` send() calls at a time; returns the seconds it took. */
  run(batches: number, concurrency: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * The baseline: a plain kafkajs producer with the settings Surge's producer uses (idempotent, acks=-1, one
 * request in flight per broker), sending the same messages, one send() per batch, as many at a time as the HTTP
 * run has connections.
 */
export async function openBaseline(brokers: string[], topic: string, workload: Workload): Promise<Baseline> {
  const kafka = new Kafka({ clientId: 'bench-ingest-baseline', brokers, logLevel: logLevel.WARN });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const send = () => producer.send({ topic, acks: -1, messages: workload.kafkaMessages });
  for (let i = 0; i < 20; i++) await send();
  return {
    run: async (batches, concurrency) => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < batches) {
            next++;
            await send();
          }
        }),
      );
      return (performance.now() - started) / 1000;
    },
    close: () => producer.disconnect(),
  };
}

export async function topicRecords(brokers: string[], topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'bench-ingest-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

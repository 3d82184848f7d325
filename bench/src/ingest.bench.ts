import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { infraDown, infraUp } from '@surge/harness';
import { createKafka, ensureTopics } from '@surge/kafka';
import autocannon from 'autocannon';
import {
  type Baseline,
  buildWorkload,
  openBaseline,
  startIngestProcess,
  topicRecords,
} from './ingest/ingest-bench-steps';
import { cpuSecondsOf } from './process-cpu';
import { formatNumber, machineInfo, publishResult } from './report';

/**
 * `npm run bench:ingest`. Throughput of one metrics-ingest process: JSON batches over keep-alive HTTP
 * (autocannon, several connections), counted only when answered 202, i.e. acknowledged by Kafka (acks=-1).
 * Baseline, same run: a plain kafkajs producer sending the same Kafka messages (same count, same bytes), in
 * alternating rounds with the HTTP runs.
 */
const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 24);
const SAMPLES_PER_BATCH = Number(process.env.BENCH_INGEST_BATCH ?? 1000);
const TARGETS_PER_BATCH = 20;
const CONNECTIONS = Number(process.env.BENCH_INGEST_CONNECTIONS ?? 8);
const ROUNDS = 4;
const root = path.resolve(__dirname, '../../..');

function cannon(url: string, authorization: string, body: string, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/v1/samples`,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
        connections: CONNECTIONS,
        duration: seconds,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function main(): Promise<void> {
  const infra = await infraUp((line) => process.stderr.write(`bench: ${line}\n`));
  const brokers = infra.env.KAFKA_BROKERS.split(',');
  const suffix = randomUUID().slice(0, 8);
  const httpTopic = `bench.ingest.${suffix}.http`;
  const baselineTopic = `bench.ingest.${suffix}.baseline`;
  await ensureTopics(createKafka({ brokers, clientId: 'bench-ingest' }), [httpTopic, baselineTopic], 6);
  const workload = buildWorkload(SAMPLES_PER_BATCH, TARGETS_PER_BATCH);
  const loadBefore = os.loadavg()[0]!;
  const ingest = await startIngestProcess(root, infra.env.KAFKA_BROKERS, httpTopic);
  let baseline: Baseline | undefined;
  try {
    process.stderr.write(
      `bench: ${ROUNDS} rounds of ${SECONDS / ROUNDS} s HTTP then baseline; ${SAMPLES_PER_BATCH}-sample batches, ${CONNECTIONS} connections\n`,
    );
    const warm = await cannon(ingest.url, ingest.authorization, workload.body, 3);
    baseline = await openBaseline(brokers, baselineTopic, workload);
    // Rounds alternate the two sides, so a burst of other work on this shared machine hits both alike.
    const rounds: { httpBatches: number; httpSeconds: number; baselineSeconds: number; p50: number; p99: number }[] =
      [];
    let ingestCpu = 0;
    let baselineCpu = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const ingestCpuBefore = cpuSecondsOf(ingest.child.pid!);
      const run = await cannon(ingest.url, ingest.authorization, workload.body, SECONDS / ROUNDS);
      ingestCpu += cpuSecondsOf(ingest.child.pid!) - ingestCpuBefore;
      if (run.non2xx > 0 || run.errors > 0 || run['2xx'] === 0)
        throw new Error(`HTTP run had ${run.non2xx} non-2xx answers and ${run.errors} errors`);
      const httpSeconds = (new Date(run.finish).getTime() - new Date(run.start).getTime()) / 1000;
      const baselineCpuBefore = process.cpuUsage();
      const baselineSeconds = await baseline.run(run['2xx'], CONNECTIONS);
      const baselineCpuUsed = process.cpuUsage(baselineCpuBefore);
      baselineCpu += (baselineCpuUsed.user + baselineCpuUsed.system) / 1e6;
      rounds.push({
        httpBatches: run['2xx'],
        httpSeconds,
        baselineSeconds,
        p50: run.latency.p50,
        p99: run.latency.p99,
      });
      process.stderr.write(
        `bench: round ${round + 1}: HTTP ${Math.round((run['2xx'] * SAMPLES_PER_BATCH) / httpSeconds)} samples/s, baseline ${Math.round((run['2xx'] * SAMPLES_PER_BATCH) / baselineSeconds)} samples/s\n`,
      );
    }
    const accepted = rounds.reduce((sum, r) => sum + r.httpBatches, 0);
    const httpRate = (accepted * SAMPLES_PER_BATCH) / rounds.reduce((sum, r) => sum + r.httpSeconds, 0);
    const baselineRate = (accepted * SAMPLES_PER_BATCH) / rounds.reduce((sum, r) => sum + r.baselineSeconds, 0);
    const ratio = httpRate / baselineRate;
    // Every 202 must be in Kafka: at least (warm-up + rounds) batches × messages per batch. A request still in flight
    // when autocannon stops a run is produced but not counted, hence up to one batch per connection per run more.
    const expectedRecords = (warm['2xx'] + accepted) * workload.kafkaMessages.length;
    const records = await topicRecords(brokers, httpTopic);
    const slack = (ROUNDS + 1) * CONNECTIONS * workload.kafkaMessages.length;
    if (records < expectedRecords || records > expectedRecords + slack) {
      throw new Error(`topic holds ${records} records, expected ${expectedRecords} (+ at most ${slack} in flight)`);
    }
    const result = {
      name: 'ingest',
      title: 'metrics-ingest: samples/s accepted end to end',
      measuredAt: new Date().toISOString(),
      machine: machineInfo(),
      parameters: {
        samplesPerBatch: SAMPLES_PER_BATCH,
        targetsPerBatch: TARGETS_PER_BATCH,
        connections: CONNECTIONS,
        seconds: SECONDS,
        rounds: ROUNDS,
        httpBodyBytes: Buffer.byteLength(workload.body),
        kafkaMessagesPerBatch: workload.kafkaMessages.length,
        kafkaBytesPerBatch: workload.kafkaBytes,
      },
      figures: [
        { name: 'HTTP batch API, Kafka-acknowledged', value: Math.round(httpRate), unit: 'samples/s' },
        { name: 'Baseline: plain kafkajs producer, same messages', value: Math.round(baselineRate), unit: 'samples/s' },
        { name: 'Ratio HTTP / baseline', value: Math.round(ratio * 1000) / 1000, unit: '' },
        {
          name: 'metrics-ingest CPU per million samples',
          value: Math.round((ingestCpu / (accepted * SAMPLES_PER_BATCH)) * 1e6 * 100) / 100,
          unit: 'CPU s',
        },
        {
          name: 'Baseline producer CPU per million samples',
          value: Math.round((baselineCpu / (accepted * SAMPLES_PER_BATCH)) * 1e6 * 100) / 100,
          unit: 'CPU s',
        },
        { name: 'HTTP latency p50 (worst round)', value: Math.max(...rounds.map((r) => r.p50)), unit: 'ms' },
        { name: 'HTTP latency p99 (worst round)', value: Math.max(...rounds.map((r) => r.p99)), unit: 'ms' },
        { name: 'Batches accepted (202)', value: accepted, unit: '' },
      ],
      goals: [
        { name: 'throughput', target: '≥ 100,000 samples/s', met: httpRate >= 100_000 },
        { name: 'ratio', target: '≥ 0.5 of baseline', met: ratio >= 0.5 },
      ],
      notes: [
        'One metrics-ingest process (the built app, as `npm start` runs it); Kafka, the load generator and the app share the machine.',
        'Authentication on, as by default: a tokens file with one source (`bench/*`), its bearer token on every request (SHA-256 and one lookup per request, the batch targets checked against the source patterns).',
        `Verified after the HTTP run: the topic held ${formatNumber(records)} records for ${formatNumber(expectedRecords)} acknowledged (one per target per batch; the rest were in flight when the load generator stopped).`,
        "Baseline producer settings equal Surge's producer: idempotent, acks=-1, one request in flight, no compression.",
        `Per round, HTTP / baseline samples/s: ${rounds.map((r) => `${formatNumber(Math.round((r.httpBatches * SAMPLES_PER_BATCH) / r.httpSeconds))} / ${formatNumber(Math.round((r.httpBatches * SAMPLES_PER_BATCH) / r.baselineSeconds))}`).join('; ')}.`,
        `Machine load (1-min average) ${loadBefore.toFixed(2)} before, ${os.loadavg()[0]!.toFixed(2)} after: other work on the same 2 cores moves these figures run to run.`,
      ],
    };
    const file = publishResult(result);
    process.stdout.write(
      `${JSON.stringify({ httpRate: Math.round(httpRate), baselineRate: Math.round(baselineRate), ratio, ingestCpu, baselineCpu, file }, null, 2)}\n`,
    );
  } finally {
    await ingest.stop();
    await baseline?.close();
    const startedHere = new Set(infra.started.map((record) => JSON.stringify(record)));
    if (startedHere.size > 0) await infraDown((record) => startedHere.has(JSON.stringify(record)));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ingest failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

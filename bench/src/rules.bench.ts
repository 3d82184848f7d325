import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { sampleEnvelope } from '@surge/contracts';
import { infraUp } from '@surge/harness';
import { createKafka, ensureTopics, SurgeProducer } from '@surge/kafka';
import { percentile } from './audit/percentile';
import { type BenchResult, machineInfo, publishResult } from './report';
import {
  envelope,
  evaluations,
  freePort,
  METRICS,
  produceSteadyLoad,
  rulesMarkdown,
  startEngine,
  writePolicies,
} from './rules/rules-bench-steps';

/**
 * `npm run bench:rules`. Throughput: sample envelopes for 1,000 targets (3 metrics and 2 rules each) are produced
 * first, then one rules-engine process evaluates them; the rate is samples over the span from its first to its
 * last evaluation, read from its /metrics. Baseline, same run: a plain kafkajs consumer that only decodes the
 * same messages. Reaction: one sample completing a breach, produced, until its decision is read back.
 */
const TARGETS = 1000;
const ROUNDS = Number(process.env['BENCH_RULES_ROUNDS'] ?? 60);
const REACTIONS = 200;
// Built to dist/bench/src/: the repository root is three levels up.
const root = path.resolve(__dirname, '../../..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round2 = (v: number) => Math.round(v * 100) / 100;

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0]!;
  const infra = await infraUp((line) => process.stderr.write(`bench: ${line}\n`));
  const run = randomUUID().slice(0, 8);
  const topics = {
    SURGE_TOPIC_SAMPLES: `bench-rules-${run}.samples`,
    SURGE_TOPIC_DECISIONS: `bench-rules-${run}.decisions`,
    SURGE_TOPIC_ACTIONS: `bench-rules-${run}.actions`,
    SURGE_TOPIC_DEADLETTER: `bench-rules-${run}.dlq`,
    SURGE_TOPIC_CONTROL: `bench-rules-${run}.control`,
  };
  const kafka = createKafka({ brokers: infra.env.KAFKA_BROKERS.split(','), clientId: `bench-rules-${run}` });
  await ensureTopics(kafka, Object.values(topics), 6);
  const producer = new SurgeProducer(kafka);
  await producer.connect();
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  process.stderr.write(`bench: producing ${ROUNDS} rounds for ${TARGETS} targets\n`);
  const messages = await produceSteadyLoad(producer, topics.SURGE_TOPIC_SAMPLES, TARGETS, ROUNDS, t0);
  const samples = messages * METRICS.length + TARGETS;

  // Baseline: decode only.
  const baselineConsumer = kafka.consumer({ groupId: `bench-rules-baseline-${run}`, maxWaitTimeInMs: 100 });
  await baselineConsumer.connect();
  await baselineConsumer.subscribe({ topics: [topics.SURGE_TOPIC_SAMPLES], fromBeginning: true });
  let decoded = 0;
  let baselineStart = 0;
  let baselineEnd = 0;
  await baselineConsumer.run({
    eachMessage: async ({ message }) => {
      if (!baselineStart) baselineStart = performance.now();
      sampleEnvelope.parse(JSON.parse(message.value!.toString()));
      decoded += 1;
      baselineEnd = performance.now();
    },
  });
  while (decoded < messages) await sleep(50);
  await baselineConsumer.disconnect();
  const baselineRate = samples / ((baselineEnd - baselineStart) / 1000);

  // One rules-engine process.
  const port = await freePort();
  const policiesDir = writePolicies(TARGETS);
  const engine = startEngine(root, {
    ...process.env,
    ...infra.env,
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `bench-rules-${run}`,
    SURGE_RULES_REDIS_PREFIX: `bench:rules:${run}:`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
  });
  try {
    let first = 0;
    let last = 0;
    for (;;) {
      const count = await evaluations(port);
      if (count > 0 && !first) first = performance.now();
      if (count >= messages) {
        last = performance.now();
        break;
      }
      await sleep(20);
    }
    const engineRate = samples / ((last - first) / 1000);

    // Reaction: a breach-completing sample per target, its decision read back from the decisions topic.
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const observer = kafka.consumer({ groupId: `bench-rules-observer-${run}`, maxWaitTimeInMs: 10 });
    await observer.connect();
    await observer.subscribe({ topics: [topics.SURGE_TOPIC_DECISIONS], fromBeginning: false });
    await observer.run({
      eachMessage: async ({ message }) => {
        const target = message.key!.toString();
        const started = sentAt.get(target);
        if (started !== undefined) {
          latencies.push(performance.now() - started);
          sentAt.delete(target);
        }
      },
    });
    await sleep(3000);
    for (let i = 0; i < REACTIONS; i += 1) {
      const target = `bench/t${i}`;
      sentAt.set(target, performance.now());
      await producer.send(topics.SURGE_TOPIC_SAMPLES, [
        { key: target, value: envelope(target, t0 + (ROUNDS + 1) * 1000, { http_p95_ms: 2500 }) },
      ]);
      const deadline = Date.now() + 5000;
      while (sentAt.has(target) && Date.now() < deadline) await sleep(1);
    }
    await observer.disconnect();
    latencies.sort((a, b) => a - b);
    const p50 = round2(percentile(latencies, 50));
    const p99 = round2(percentile(latencies, 99));
    const result: BenchResult = {
      name: 'rules',
      title: 'Rules engine (`npm run bench:rules`)',
      measuredAt: new Date().toISOString(),
      machine: machineInfo(),
      parameters: {
        targets: TARGETS,
        metricsPerTarget: 3,
        rulesPerTarget: 2,
        messages,
        samples,
        reactions: latencies.length,
        loadAtStart: round2(loadAtStart),
      },
      figures: [
        { name: 'one rules-engine process', value: Math.round(engineRate), unit: 'samples/s' },
        {
          name: 'baseline: kafkajs consumer decoding the same messages',
          value: Math.round(baselineRate),
          unit: 'samples/s',
        },
        { name: 'ratio to the baseline', value: round2(engineRate / baselineRate), unit: '' },
        { name: 'reaction p50 (breach sample produced → decision read)', value: p50, unit: 'ms' },
        { name: 'reaction p99', value: p99, unit: 'ms' },
      ],
      goals: [
        { name: 'throughput', target: '≥ 100,000 samples/s', met: engineRate >= 100_000 },
        { name: 'ratio', target: '≥ 0.5 of the baseline', met: engineRate / baselineRate >= 0.5 },
        { name: 'reaction', target: 'p99 < 50 ms', met: p99 < 50 },
      ],
      notes: [
        "Each fetched batch is evaluated as a unit: one MGET and one MSET of the touched targets' state in Redis (two when a decision is saved to the outbox before it is published) and one produce call.",
        `Load average at start ${round2(loadAtStart)} on ${os.cpus().length} cores: other work on the machine widens the reaction tail.`,
      ],
    };
    result.markdown = rulesMarkdown(result);
    process.stdout.write(publishResult(result) + '\n');
  } finally {
    engine.kill('SIGTERM');
    await producer.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

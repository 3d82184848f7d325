import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { infraUp } from '@surge/harness';
import { createKafka, ensureTopics, SurgeProducer } from '@surge/kafka';
import type { Kafka } from 'kafkajs';
import { percentile } from './audit/percentile';
import { type BenchResult, machineInfo, publishResult } from './report';
import {
  envelope,
  METRICS,
  produceObserved,
  produceSteadyLoad,
  rulesMarkdown,
  writePolicies,
} from './rules/rules-bench-steps';
import { baselineTrial, type EngineRun, engineTrial, stopEngine, type Trial } from './rules/rules-trials';
import { testSigner, testSigningEnv } from '@surge/signing/testing';

/**
 * `npm run bench:rules`. Throughput: sample envelopes for 1,000 targets (3 metrics and 2 rules each) are produced
 * first; then, in turns, a plain kafkajs consumer that only decodes them (the baseline) and a fresh rules-engine
 * process that evaluates them. Each turn is one trial; the figures are the trials' medians, so one noisy moment
 * on a shared machine does not decide the result. Reaction: one sample completing a breach, produced, until its
 * decision is read back from the decisions topic.
 */
const TARGETS = 1000;
const ROUNDS = Number(process.env['BENCH_RULES_ROUNDS'] ?? 200);
const TRIALS = Number(process.env['BENCH_RULES_TRIALS'] ?? 3);
const WARMUP_REACTIONS = 100;
const REACTIONS = 500;
// Built to dist/bench/src/: the repository root is three levels up.
const root = path.resolve(__dirname, '../../..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round2 = (v: number) => Math.round(v * 100) / 100;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** Breach-completing samples for the given targets, one at a time, each until its decision is read back. */
async function reactions(
  kafka: Kafka,
  producer: SurgeProducer,
  topics: { samples: string; decisions: string },
  targets: string[],
  timestamp: number,
): Promise<number[]> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const observer = kafka.consumer({ groupId: `bench-rules-observer-${randomUUID()}`, maxWaitTimeInMs: 10 });
  await observer.connect();
  await observer.subscribe({ topics: [topics.decisions], fromBeginning: false });
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
  // The observer must have its partitions before the first sample, or it would start after that decision.
  await sleep(3000);
  for (const target of targets) {
    sentAt.set(target, performance.now());
    await producer.send(topics.samples, [{ key: target, value: envelope(target, timestamp, { http_p95_ms: 2500 }) }]);
    const deadline = Date.now() + 5000;
    while (sentAt.has(target) && Date.now() < deadline) await sleep(1);
  }
  await observer.disconnect();
  return latencies.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0]!;
  const infra = await infraUp((line) => process.stderr.write(`bench: ${line}\n`));
  const run = randomUUID().slice(0, 8);
  const topics = {
    SURGE_TOPIC_SAMPLES: `bench-rules-${run}.samples`,
    SURGE_TOPIC_OBSERVED: `bench-rules-${run}.observed`,
    SURGE_TOPIC_DECISIONS: `bench-rules-${run}.decisions`,
    SURGE_TOPIC_ACTIONS: `bench-rules-${run}.actions`,
    SURGE_TOPIC_DEADLETTER: `bench-rules-${run}.dlq`,
    SURGE_TOPIC_CONTROL: `bench-rules-${run}.control`,
  };
  const kafka = createKafka({ brokers: infra.env.KAFKA_BROKERS.split(','), clientId: `bench-rules-${run}` });
  await ensureTopics(kafka, Object.values(topics), 6);
  // The observed state is signed as an executor signs it, and the engine verifies it, as in production.
  const producer = new SurgeProducer(kafka, new Map([[topics.SURGE_TOPIC_OBSERVED, testSigner('executor')]]));
  await producer.connect();
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  process.stderr.write(`bench: producing ${ROUNDS} rounds for ${TARGETS} targets\n`);
  await produceObserved(producer, topics.SURGE_TOPIC_OBSERVED, TARGETS, t0);
  const messages = await produceSteadyLoad(producer, topics.SURGE_TOPIC_SAMPLES, TARGETS, ROUNDS, t0);
  const samples = messages * METRICS.length;
  const policiesDir = writePolicies(TARGETS);
  const engineEnv = (trial: number) => ({
    ...process.env,
    ...infra.env,
    ...testSigningEnv('rules-engine'),
    ...topics,
    SURGE_POLICIES_DIR: policiesDir,
    SURGE_RULES_GROUP_ID: `bench-rules-${run}-${trial}`,
    SURGE_RULES_REDIS_PREFIX: `bench:rules:${run}:${trial}:`,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    // For profiling a run (`--cpu-prof`, say); empty by default.
    NODE_OPTIONS: process.env['BENCH_ENGINE_NODE_OPTIONS'] ?? '',
  });

  const baselines: Trial[] = [];
  const engines: Trial[] = [];
  let kept: EngineRun | undefined;
  try {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const groupId = `bench-rules-baseline-${run}-${trial}`;
      baselines.push(await baselineTrial(kafka, topics.SURGE_TOPIC_SAMPLES, groupId, messages, samples));
      kept = await engineTrial(kafka, root, engineEnv(trial), messages, samples);
      engines.push(kept);
      process.stderr.write(
        `bench: trial ${trial + 1}/${TRIALS}: baseline ${Math.round(baselines[trial]!.samplesPerSecond)} samples/s, engine ${Math.round(kept.samplesPerSecond)} samples/s\n`,
      );
      // The last trial's engine stays for the reaction measurement; the others leave the machine to the next turn.
      if (trial < TRIALS - 1) await stopEngine(kept);
    }

    // Reaction, on the last trial's engine: a warm-up first, so the broker's and the engine's JIT have settled.
    const reactionTopics = { samples: topics.SURGE_TOPIC_SAMPLES, decisions: topics.SURGE_TOPIC_DECISIONS };
    const breachAt = t0 + (ROUNDS + 1) * 1000;
    const target = (i: number) => `bench/t${i}`;
    const warmup = Array.from({ length: WARMUP_REACTIONS }, (_, i) => target(TARGETS - 1 - i));
    await reactions(kafka, producer, reactionTopics, warmup, breachAt);
    const measured = Array.from({ length: REACTIONS }, (_, i) => target(i));
    const latencies = await reactions(kafka, producer, reactionTopics, measured, breachAt);

    const engineRate = median(engines.map((t) => t.samplesPerSecond));
    const baselineRate = median(baselines.map((t) => t.samplesPerSecond));
    const ratio = median(engines.map((t, i) => t.samplesPerSecond / baselines[i]!.samplesPerSecond));
    const engineCpu = median(engines.map((t) => t.cpuMicrosPerSample));
    const baselineCpu = median(baselines.map((t) => t.cpuMicrosPerSample));
    const p50 = round2(percentile(latencies, 50));
    const p99 = round2(percentile(latencies, 99));
    const perTrial = (trials: Trial[]) => trials.map((t) => Math.round(t.samplesPerSecond)).join(' / ');
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
        trials: TRIALS,
        engineTrials: perTrial(engines),
        baselineTrials: perTrial(baselines),
        reactions: latencies.length,
        warmupReactions: WARMUP_REACTIONS,
        loadAtStart: round2(loadAtStart),
      },
      figures: [
        { name: 'one rules-engine process', value: Math.round(engineRate), unit: 'samples/s' },
        {
          name: 'baseline: kafkajs consumer decoding the same messages',
          value: Math.round(baselineRate),
          unit: 'samples/s',
        },
        { name: 'ratio to the baseline', value: round2(ratio), unit: '' },
        { name: 'reaction p50 (breach sample produced → decision read)', value: p50, unit: 'ms' },
        { name: 'reaction p99', value: p99, unit: 'ms' },
        { name: 'CPU per sample, rules-engine', value: round2(engineCpu), unit: 'µs' },
        { name: 'CPU per sample, baseline', value: round2(baselineCpu), unit: 'µs' },
      ],
      goals: [
        { name: 'throughput', target: '≥ 100,000 samples/s', met: engineRate >= 100_000 },
        { name: 'ratio', target: '≥ 0.5 of the baseline', met: ratio >= 0.5 },
        { name: 'reaction', target: 'p99 < 50 ms', met: p99 < 50 },
      ],
      notes: [
        `Throughput figures are medians of ${TRIALS} trials; each trial runs the baseline and then a fresh rules-engine process over the same messages, and the ratio is the median of the trials' own ratios. Per trial, rules-engine: ${perTrial(engines)}; baseline: ${perTrial(baselines)} samples/s.`,
        "Each fetched batch is evaluated as a unit: one MGET and one fenced write (a Lua script comparing each target's fence) of the touched targets' state in Redis (two when a decision is saved to the outbox before it is published) and one produce call.",
        `Reaction: ${REACTIONS} breaches one after another, after ${WARMUP_REACTIONS} unmeasured ones; the producer waits for acks from the broker, the engine saves the decision to its outbox in Redis before publishing it, and the observer is a kafkajs consumer polling every 10 ms.`,
        `Load average at start ${round2(loadAtStart)} on ${os.cpus().length} cores; the broker, Redis, the engine and this bench share them.`,
      ],
    };
    result.markdown = rulesMarkdown(result);
    process.stdout.write(publishResult(result) + '\n');
  } finally {
    if (kept) await stopEngine(kept);
    await producer.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

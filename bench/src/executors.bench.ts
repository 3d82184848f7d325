import { topicEnvFor } from '@surge/config';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ExecutorTestBed, KubeApiStandIn } from '@surge/executor-framework/testing';
import { infraUp, startPrivateRedis } from '@surge/harness';
import { echoBaseline, percentile } from './executors/echo-baseline';
import { startExecutorProcess } from './executors/executor-process';
import { publishResult, machineInfo } from './report';

/**
 * `npm run bench:executors`. Time from a decision being produced to its `applied` result being readable on the
 * actions topic, one decision at a time, through the executor-k8s and executor-cache apps running as processes
 * (Kafka and Redis real), against the apps/v1 stand-in and a private redis-server respectively.
 * Baseline, same run: the same two Kafka hops with no work between (a consumer forwarding each record).
 */
const DECISIONS = Number(process.env.BENCH_EXECUTORS_DECISIONS ?? 300);
const WARMUP = 20;
const MiB = 1024 * 1024;
const root = path.resolve(__dirname, '../../..');

interface Measured {
  latencies: number[];
  /** The result's own durationMs: time inside the executor, from picking the decision up to publishing. */
  inside: number[];
}

async function measure(
  bed: ExecutorTestBed,
  kind: string,
  id: string,
  setting: string,
  values: [number, number],
  /** The target's value before the first decision: each decision is made from the value the one before set. */
  initial: number,
): Promise<Measured> {
  const latencies: number[] = [];
  const inside: number[] = [];
  for (let i = 0; i < WARMUP + DECISIONS; i += 1) {
    const from = i === 0 ? initial : values[(i + 1) % 2]!;
    const decision = bed.decision({ target: { kind, id }, setting, from, to: values[i % 2]!, eventTime: Date.now() });
    const started = performance.now();
    await bed.produce(decision);
    const result = await bed.waitFor(
      `result of ${decision.decisionId}`,
      () => bed.resultsFor(decision.decisionId)[0],
      10_000,
    );
    if (result.status !== 'applied') throw new Error(`decision ${i} was ${result.status}: ${result.error}`);
    if (i >= WARMUP) {
      latencies.push(bed.arrivals.get(decision.decisionId)! - started);
      inside.push(result.durationMs);
    }
  }
  return { latencies, inside };
}

async function main(): Promise<void> {
  const infra = await infraUp((line) => process.stderr.write(`bench: ${line}\n`));
  process.env.KAFKA_BROKERS = infra.env.KAFKA_BROKERS;
  process.env.REDIS_URL = infra.env.REDIS_URL;
  const api = new KubeApiStandIn();
  await api.start();
  api.addWorkload('shop', 'Deployment', 'web', 2);
  process.env['BENCH_KUBECONFIG'] = readFileSync(api.writeKubeconfig(), 'utf8');
  const redis = await startPrivateRedis();
  process.env['BENCH_CACHE_URL'] = redis.url;
  const targetsFile = path.join(tmpdir(), `surge-bench-targets-${process.pid}.json`);
  writeFileSync(
    targetsFile,
    JSON.stringify({
      targets: [
        { id: 'shop/web', kind: 'Deployment', connection: { env: 'BENCH_KUBECONFIG' }, bounds: { min: 1, max: 10 } },
        {
          id: 'cache/main',
          kind: 'RedisCache',
          connection: { env: 'BENCH_CACHE_URL' },
          bounds: { maxmemory: { min: 64 * MiB, max: 1024 * MiB } },
          options: { headroomBytes: MiB },
        },
      ],
    }),
  );
  const bed = new ExecutorTestBed();
  const processes: { stop(): Promise<void> }[] = [];
  try {
    await bed.start();
    const t = bed.topics;
    const env = {
      KAFKA_BROKERS: infra.env.KAFKA_BROKERS,
      REDIS_URL: infra.env.REDIS_URL,
      SURGE_TARGETS_FILE: targetsFile,
      ...topicEnvFor(t),
      SURGE_TOPIC_PARTITIONS: '1',
      SURGE_OBSERVE_INTERVAL_MS: '0',
      SURGE_VERIFY_INTERVAL_MS: '5',
    };
    for (const app of ['executor-k8s', 'executor-cache']) {
      processes.push(
        await startExecutorProcess(root, app, {
          ...env,
          SURGE_EXECUTOR_GROUP: `bench-${bed.run}-${app}`,
          SURGE_EXECUTOR_KEY_PREFIX: `bench:${bed.run}:${app}`,
        }),
      );
    }
    process.stderr.write(`bench: ${DECISIONS} decisions per executor, one at a time, after ${WARMUP} warm-up\n`);
    const k8s = await measure(bed, 'Deployment', 'shop/web', 'replicas', [3, 4], 2);
    const cache = await measure(bed, 'RedisCache', 'cache/main', 'maxmemory', [128 * MiB, 256 * MiB], 0); // redis-server's default
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    const baseline = await echoBaseline(bed, WARMUP, DECISIONS);
    const row = (name: string, values: number[]) => [
      { name: `${name} p50`, value: round(percentile(values, 50)), unit: 'ms' },
      { name: `${name} p99`, value: round(percentile(values, 99)), unit: 'ms' },
    ];
    const k8sP99 = percentile(k8s.latencies, 99);
    const cacheP99 = percentile(cache.latencies, 99);
    const ms = (values: number[]) => `p50 ${round(percentile(values, 50))} ms, p99 ${round(percentile(values, 99))} ms`;
    const markdown = [
      `## Executors (\`npm run bench:executors\`, ${new Date().toISOString().slice(0, 10)}, ${machineInfo().cpus} cores)`,
      '',
      'Decision produced → its `applied` result readable on the actions topic, one decision at a time, through the',
      'executor-k8s and executor-cache apps, each running as its own process with its own consumer group (Redis claim',
      'and watermark, guardrails, read + autoscaler check, apply, read-back verification, result published with',
      `acks=-1). ${DECISIONS} decisions per executor after ${WARMUP} warm-up.`,
      '',
      '| measure | result | goal |',
      '| --- | --- | --- |',
      `| executor-k8s, apps/v1 HTTP stand-in on localhost | ${ms(k8s.latencies)} | p99 < 50 ms (${k8sP99 < 50 ? 'met' : 'not met'}) |`,
      `| of which inside the executor (result durationMs) | ${ms(k8s.inside)} | |`,
      `| executor-cache, private redis-server | ${ms(cache.latencies)} | p99 < 50 ms (${cacheP99 < 50 ? 'met' : 'not met'}) |`,
      `| of which inside the executor (result durationMs) | ${ms(cache.inside)} | |`,
      `| Baseline in the same run: the same two Kafka hops, a consumer forwarding each record | ${ms(baseline)} | |`,
      '',
      'The Kubernetes figures are against the stand-in, not a real API server, which adds its own latency.',
      `p99 is sensitive to other load on the machine: the 1-minute load average was ${loadavg()[0]!.toFixed(1)} at the end of this run (the baseline's p99 shows how much of it is not the executors').`,
      'Raw figures: `bench/results/executors.json`.',
    ].join('\n');
    const file = publishResult({
      markdown,
      name: 'executors',
      title: 'Executors: decision produced → applied result readable on surge.scale.actions',
      measuredAt: new Date().toISOString(),
      machine: machineInfo(),
      parameters: { decisionsPerExecutor: DECISIONS, warmup: WARMUP, partitions: 1, verify: 'read back until equal' },
      figures: [
        ...row('executor-k8s (apps/v1 stand-in)', k8s.latencies),
        ...row('  of which inside the executor (result durationMs)', k8s.inside),
        ...row('executor-cache (private redis-server)', cache.latencies),
        ...row('  of which inside the executor (result durationMs)', cache.inside),
        ...row('Baseline: same two Kafka hops, no work', baseline),
      ],
      goals: [
        { name: 'executor-k8s p99', target: '< 50 ms', met: k8sP99 < 50 },
        { name: 'executor-cache p99', target: '< 50 ms', met: cacheP99 < 50 },
      ],
      notes: [
        'Each decision goes through an executor app process: Redis claim (SET NX) and watermark, guardrails, read and HPA/KEDA check (k8s), apply, read-back verification, result publish (acks=-1), Redis result record.',
        'Kubernetes figures are against the HTTP stand-in on localhost, not a real API server; a real one adds its own latency.',
      ],
    });
    const summary = (m: Measured) =>
      `p50 ${round(percentile(m.latencies, 50))} ms p99 ${round(percentile(m.latencies, 99))} ms (inside p50 ${round(percentile(m.inside, 50))} p99 ${round(percentile(m.inside, 99))})`;
    process.stdout.write(
      `bench: k8s ${summary(k8s)}; redis ${summary(cache)}; baseline p50 ${round(percentile(baseline, 50))} ms p99 ${round(percentile(baseline, 99))} ms → ${file}\n`,
    );
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await bed.stop();
    await api.stop();
    await redis.stop();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench: executors failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);

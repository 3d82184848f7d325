import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SurgeProducer } from '@surge/kafka';

export const METRICS = ['cpu_utilization', 'http_requests_per_second', 'memory_utilization'] as const;

/** 1,000 targets, 3 metrics and 2 rules each; the p95 rule fires at once so a breach is one sample away. */
export function writePolicies(targets: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-bench-rules-'));
  for (let i = 0; i < targets; i += 1) {
    fs.writeFileSync(
      path.join(dir, `t${i}.yaml`),
      `apiVersion: surge.dev/v1
kind: ScalingPolicy
metadata: { name: bench-${i} }
spec:
  target: { id: bench/t${i}, kind: Deployment }
  minReplicas: 1
  maxReplicas: 1000
  metricStaleness: 1h
  metrics:
    - { metric: cpu_utilization, target: { type: Utilization, averageUtilization: 70 } }
    - { metric: http_requests_per_second, target: { type: AverageValue, averageValue: 100 } }
    - { metric: memory_utilization, target: { type: Utilization, averageUtilization: 80 } }
  rules:
    - { name: p95-breach, when: { metric: http_p95_ms, op: ">", value: 2000, for: 0s }, severity: critical, action: { scaleBy: "+1" } }
    - { name: queue-backlog, when: { metric: queue_depth, op: ">", value: 500, for: 30s }, action: { scaleBy: "+2" } }
`,
    );
  }
  return dir;
}

export function envelope(target: string, timestamp: number, values: Record<string, number>): string {
  const samples = Object.entries(values).map(([metric, value]) => ({
    schemaVersion: 1,
    target,
    metric,
    value,
    timestamp,
  }));
  return JSON.stringify({ schemaVersion: 1, target, samples });
}

/** Steady load within tolerance: every sample is evaluated, few decisions result, as in a calm hour. */
export async function produceSteadyLoad(
  producer: SurgeProducer,
  topic: string,
  targets: number,
  rounds: number,
  t0: number,
): Promise<number> {
  let messages = 0;
  for (let round = 0; round < rounds; round += 1) {
    const batch = [];
    for (let i = 0; i < targets; i += 1) {
      const target = `bench/t${i}`;
      const values: Record<string, number> = {
        cpu_utilization: 70 + (round % 5),
        http_requests_per_second: 1000,
        memory_utilization: 78,
      };
      batch.push({ key: target, value: envelope(target, t0 + round * 1000, values) });
    }
    await producer.send(topic, batch);
    messages += batch.length;
  }
  return messages;
}

/** Every target's replicas as its executor reports them, on the observed-state topic, before any sample. */
export async function produceObserved(producer: SurgeProducer, topic: string, targets: number, t0: number) {
  const batch = [];
  for (let i = 0; i < targets; i += 1) {
    const target = `bench/t${i}`;
    const observation = {
      schemaVersion: 1,
      target: { kind: 'Deployment', id: target },
      executor: 'bench',
      settings: { replicas: 10 },
      observedAt: t0,
    };
    batch.push({ key: target, value: JSON.stringify(observation) });
  }
  await producer.send(topic, batch);
}

export function startEngine(root: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [path.join(root, 'dist/apps/rules-engine/src/main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The engine's evaluation count, from its own /metrics. */
export async function evaluations(port: number): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const match = /^surge_rules_evaluations_total (\d+)/m.exec(text);
    return match ? Number(match[1]) : 0;
  } catch {
    return -1;
  }
}

/** The BENCHMARKS.md section, so the document always shows this run's figures. */
export function rulesMarkdown(result: {
  measuredAt: string;
  machine: { cpus: number };
  figures: { name: string; value: number; unit: string }[];
  goals?: { target: string; met: boolean }[];
  parameters: Record<string, string | number>;
  notes?: string[];
}): string {
  const [engine, baseline, ratio, p50, p99, engineCpu, baselineCpu] = result.figures.map((f) => f.value);
  const goal = (index: number) =>
    `${result.goals?.[index]?.target ?? ''}${result.goals?.[index]?.met ? '' : ' (not met)'}`;
  return [
    `## Rules engine (\`npm run bench:rules\`, ${result.measuredAt.slice(0, 10)}, ${result.machine.cpus} cores)`,
    '',
    `${result.parameters.targets} targets with 3 metrics and 2 rules each; ${result.parameters.samples} samples in ${result.parameters.messages} envelopes produced first, then consumed in ${result.parameters.trials} trials, each by the baseline and then by a fresh rules-engine process.`,
    '',
    '| measure | result | goal |',
    '| --- | --- | --- |',
    `| samples/s evaluated by one rules-engine process (state in Redis, decisions to Kafka) | ${engine} | ${goal(0)} |`,
    `| Baseline in the same run: plain kafkajs consumer decoding the same messages | ${baseline} | |`,
    `| Ratio to the baseline (median of the trials' ratios) | ${ratio} | ${goal(1)} |`,
    `| CPU per sample, user + system: rules-engine / baseline | ${engineCpu} µs / ${baselineCpu} µs | |`,
    `| Breach-completing sample produced → decision read on surge.scale.decisions (${result.parameters.reactions} samples) | p50 ${p50} ms, p99 ${p99} ms | ${goal(2)} |`,
    '',
    ...(result.notes ?? []).map((note) => `- ${note}`),
    '',
    'Raw figures: `bench/results/rules.json`.',
  ].join('\n');
}

import type { BenchResult } from '../report';

/** The audit section of BENCHMARKS.md, written from the result's own figures so the two cannot disagree. */
export function auditMarkdown(result: BenchResult): string {
  const figure = (prefix: string) => result.figures.find((f) => f.name.startsWith(prefix))?.value ?? Number.NaN;
  const goal = (name: string) => (result.goals?.find((g) => g.name === name)?.met ? 'met' : 'not met');
  const p = result.parameters;
  const loaded = `GET /v1/audit/events?target=… ${p['concurrentClients']} clients`;
  return [
    '## audit-log: Kafka → PostgreSQL throughput and query latency (`npm run bench:audit`)',
    '',
    `Measured ${result.measuredAt} on ${result.machine.cpus} × ${result.machine.cpuModel}, Node ${result.machine.node}.`,
    '',
    '| measure | result | goal |',
    '| --- | --- | --- |',
    `| Kafka → PostgreSQL, one audit-log process, ${p['events']} action results on ${p['kafkaPartitions']} partitions | ${figure('Kafka')} events/s | ≥ 20,000 events/s: **${goal('throughput')}** |`,
    `| Baseline, same run: the same rows, multi-row INSERT of ${p['baselineBatchRows']} rows on one connection | ${figure('Baseline')} events/s | |`,
    `| Ratio to the baseline | ${figure('Ratio')} | ≥ 0.5: **${goal('ratio to baseline')}** |`,
    `| GET /v1/audit/events?target=… at ${p['queryRows']} rows, page of ${p['pageSize']}, one client | p50 ${figure('GET /v1/audit/events?target=… one client p50')} ms, p99 ${figure('GET /v1/audit/events?target=… one client p99')} ms | p99 < 20 ms: **${goal('query p99 (one client)')}** |`,
    `| The same, ${p['concurrentClients']} concurrent clients | p50 ${figure(`${loaded} p50`)} ms, p99 ${figure(`${loaded} p99`)} ms | |`,
    '',
    ...(result.notes ?? []).map((note) => `- ${note}`),
    '',
    'Raw figures: `bench/results/audit.json`.',
  ].join('\n');
}

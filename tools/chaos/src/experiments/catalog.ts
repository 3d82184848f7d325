import { type ExperimentResult } from '../experiment-result';
import { brokerKill } from './broker-kill';
import { ingestKill } from './ingest-kill';
import { pipelineKafka } from './kafka-fault';
import { kubeApi503 } from './kube-api-503';
import { runOnPipeline } from '../pipeline/pipeline-run';
import { postgresDown60s, postgresDownFaults } from './postgres-down';
import { redisLoss, redisRestartAof, redisRestartAofFaults } from './redis-fault';
import { serviceKill, serviceKillFaults } from './service-kill';

export interface Experiment {
  name: string;
  /** An upper bound on its duration, so the whole run stays within the suite's budget. */
  budgetMs: number;
  /** One row, or one per fault when several faults share one pipeline (its start is most of the cost). */
  run(): Promise<ExperimentResult | ExperimentResult[]>;
  /** About how long it took on the project's 2-core machine: an experiment that would end past the suite's budget is skipped. */
  typicalMs: number;
  /** Diagnostics run only when named: the default run must fit the 15-minute budget. */
  onlyWhenNamed?: boolean;
}

export const EXPERIMENTS: Experiment[] = [
  // In order of what matters most: an experiment that would end past the 15-minute budget is skipped.
  {
    name: 'broker-kill-3',
    typicalMs: 150_000,
    budgetMs: 4 * 60_000,
    run: () => brokerKill({ experiment: 'Kafka: one of three brokers kill -9 (ingest)', nodes: 3, outageMs: 15_000 }),
  },
  // The whole pipeline from dist (audit-log, virtual-queue, rules-engine, executor-k8s under supervisors). The
  // default run puts the faults that need a persistent Redis on one pipeline: its start is most of the cost.
  {
    name: 'pipeline-aof',
    typicalMs: 330_000,
    budgetMs: 9 * 60_000,
    run: () =>
      runOnPipeline({ appendonly: true, audit: true }, [
        ...redisRestartAofFaults,
        ...postgresDownFaults,
        ...serviceKillFaults,
      ]),
  },
  // The whole pipeline and an ingest on a broker of their own: the broker killed for 10 s, then down for 60 s,
  // then the Kubernetes API answering 503 for 30 s under the same decisions.
  { name: 'pipeline-kafka', typicalMs: 300_000, budgetMs: 8 * 60_000, run: pipelineKafka },
  { name: 'redis-loss', typicalMs: 100_000, budgetMs: 5 * 60_000, run: redisLoss },
  { name: 'redis-restart-aof', typicalMs: 90_000, budgetMs: 4 * 60_000, run: redisRestartAof, onlyWhenNamed: true },
  { name: 'postgres-down-60s', typicalMs: 150_000, budgetMs: 5 * 60_000, run: postgresDown60s, onlyWhenNamed: true },
  { name: 'service-kill', typicalMs: 190_000, budgetMs: 6 * 60_000, run: serviceKill, onlyWhenNamed: true },
  { name: 'ingest-kill', typicalMs: 60_000, budgetMs: 3 * 60_000, run: ingestKill },
  // The same faults on a single service each, named alone: pipeline-kafka puts them under the whole pipeline.
  { name: 'kube-api-503', typicalMs: 70_000, budgetMs: 3 * 60_000, run: kubeApi503, onlyWhenNamed: true },
  {
    name: 'kafka-down-60s',
    typicalMs: 160_000,
    budgetMs: 5 * 60_000,
    onlyWhenNamed: true,
    run: () => brokerKill({ experiment: 'Kafka down 60 s (ingest)', nodes: 1, outageMs: 60_000 }),
  },
  {
    name: 'broker-kill-1',
    typicalMs: 100_000,
    budgetMs: 4 * 60_000,
    onlyWhenNamed: true,
    run: () =>
      brokerKill({ experiment: 'Kafka: single broker kill -9, back after 10 s (ingest)', nodes: 1, outageMs: 10_000 }),
  },
  {
    // Diagnostic: the same kill with one request at a time, so ingest never has two sends to a partition in flight.
    name: 'broker-kill-3-serial',
    typicalMs: 150_000,
    budgetMs: 4 * 60_000,
    onlyWhenNamed: true,
    run: () =>
      brokerKill({
        experiment: 'Kafka: one of three brokers kill -9, one request at a time (ingest, diagnostic)',
        nodes: 3,
        outageMs: 15_000,
        concurrency: 1,
      }),
  },
];

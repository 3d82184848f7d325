import { type ExperimentResult } from '../experiment-result';
import { brokerKill } from './broker-kill';
import { ingestKill } from './ingest-kill';
import { kubeApi503 } from './kube-api-503';
import { postgresDown60s } from './postgres-down';
import { redisLoss, redisRestartAof } from './redis-fault';
import { serviceKill } from './service-kill';

export interface Experiment {
  name: string;
  /** An upper bound on its duration, so the whole run stays within the suite's budget. */
  budgetMs: number;
  /** One row, or one per fault when several faults share one pipeline (its start is most of the cost). */
  run(): Promise<ExperimentResult | ExperimentResult[]>;
  /** Diagnostics run only when named: the default run must fit the 15-minute budget. */
  onlyWhenNamed?: boolean;
}

export const EXPERIMENTS: Experiment[] = [
  {
    name: 'broker-kill-3',
    budgetMs: 4 * 60_000,
    run: () => brokerKill({ experiment: 'Kafka: one of three brokers kill -9 (ingest)', nodes: 3, outageMs: 15_000 }),
  },
  {
    // Diagnostic: the same kill with one request at a time, so ingest never has two sends to a partition in flight.
    name: 'broker-kill-3-serial',
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
  {
    name: 'broker-kill-1',
    budgetMs: 4 * 60_000,
    run: () =>
      brokerKill({ experiment: 'Kafka: single broker kill -9, back after 10 s (ingest)', nodes: 1, outageMs: 10_000 }),
  },
  {
    name: 'kafka-down-60s',
    budgetMs: 5 * 60_000,
    run: () => brokerKill({ experiment: 'Kafka down 60 s (ingest)', nodes: 1, outageMs: 60_000 }),
  },
  { name: 'ingest-kill', budgetMs: 3 * 60_000, run: ingestKill },
  { name: 'kube-api-503', budgetMs: 3 * 60_000, run: kubeApi503 },
  // The whole pipeline from dist (audit-log, virtual-queue, rules-engine, executor-k8s under supervisors).
  { name: 'redis-restart-aof', budgetMs: 4 * 60_000, run: redisRestartAof },
  { name: 'redis-loss', budgetMs: 5 * 60_000, run: redisLoss },
  { name: 'postgres-down-60s', budgetMs: 5 * 60_000, run: postgresDown60s },
  { name: 'service-kill', budgetMs: 6 * 60_000, run: serviceKill },
];

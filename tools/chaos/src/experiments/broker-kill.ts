import { type KafkaCluster, type LocalKafka, startKafkaCluster, startLocalKafka } from '@surge/harness';
import { type ExperimentResult } from '../experiment-result';
import { watchConsumer } from '../consumer-watch';
import { startChaosIngest } from '../ingest-service';
import { startIngestLoad } from '../ingest-load';
import { eventually, sleep, watchReadiness } from '../readiness-watch';
import { compareAccepted, countSamplesOnTopic } from '../sample-reader';

export interface BrokerKillOptions {
  experiment: string;
  /** 1: the only broker dies, and comes back after `outageMs`. 3: one of three dies, and is restarted later. */
  nodes: 1 | 3;
  outageMs: number;
  /** How long a leader election may refuse writes on a three-node cluster. */
  electionMs?: number;
  /** Concurrent request loops of the load (default 4); 1 sends one batch at a time. */
  concurrency?: number;
  /**
   * Told how to stop each process the run starts: a test that times out abandons the run before its own cleanup,
   * and the brokers and ingest it started would outlive the test run.
   */
  onStarted?: (stop: () => Promise<void>) => void;
}

const RECOVERY_LIMIT_MS = 60_000;

/**
 * kill -9 of a broker under ingest load (metrics-ingest from dist). Readers independent of ingest: the load
 * generator's own record of every 202, a fresh consumer group reading the topic back, and one that stays
 * subscribed throughout.
 */
export async function brokerKill(options: BrokerKillOptions): Promise<ExperimentResult> {
  const electionMs = options.electionMs ?? 20_000;
  const cluster: KafkaCluster | undefined = options.nodes === 3 ? await startKafkaCluster() : undefined;
  const single: LocalKafka | undefined = options.nodes === 1 ? await startLocalKafka() : undefined;
  const brokers = (cluster?.brokers ?? single?.brokers)!;
  options.onStarted?.(() => (cluster ?? single)!.stop());
  try {
    const ingest = await startChaosIngest(brokers, options.nodes);
    options.onStarted?.(() => ingest.stop());
    const readiness = watchReadiness(() => ingest.url);
    const watch = await watchConsumer(brokers, ingest.topic);
    const load = startIngestLoad({
      token: ingest.token,
      url: () => ingest.url,
      maxMs: options.outageMs + 120_000,
      concurrency: options.concurrency,
    });
    try {
      await sleep(5_000);
      const killedAt = Date.now();
      if (cluster) await cluster.kill9(0);
      else await single!.kill9();
      await sleep(options.outageMs);
      const returnedAt = Date.now();
      if (cluster) await cluster.restart(0);
      else await single!.restart();
      // The fault ends with the kill on a replicated cluster (the others take over), with the restart otherwise.
      const faultEnd = cluster ? killedAt : returnedAt;
      const accepting = () =>
        load.outcome.acceptedAt.some((at) => at > Math.max(faultEnd, load.outcome.lastRefusalAt ?? 0));
      await eventually(() => accepting() && readiness.readySince(faultEnd) !== undefined, RECOVERY_LIMIT_MS);
      await sleep(3_000);
      const outcome = await load.stop();
      readiness.stop();
      const firstAfter = outcome.acceptedAt.find((at) => at > Math.max(faultEnd, outcome.lastRefusalAt ?? 0));
      const ready = readiness.readySince(faultEnd);
      const recoveredAt = firstAfter !== undefined && ready !== undefined ? Math.max(firstAfter, ready) : undefined;
      const timeToRecoverMs = recoveredAt === undefined ? null : Math.max(0, recoveredAt - faultEnd);
      const onTopic = await countSamplesOnTopic(brokers, ingest.topic);
      const { lost, duplicated, examples, missing } = compareAccepted(outcome.accepted, onTopic);
      const consumedAfter = cluster ? await eventually(() => watch.lastMessageAt() > killedAt + 2_000, 20_000) : false;
      const refusalMs =
        outcome.firstRefusalAt === undefined
          ? 0
          : (outcome.lastRefusalAt ?? outcome.firstRefusalAt) - outcome.firstRefusalAt;
      const refusals = Object.entries(outcome.statuses)
        .filter(([status]) => status !== '202')
        .map(([status, count]) => `${count}× ${status}`);
      const checks: Record<string, boolean> = {
        'every 202 on the topic': lost === 0,
        'no sample twice': duplicated === 0,
        [`ready and accepting within ${RECOVERY_LIMIT_MS / 1000} s`]:
          timeToRecoverMs !== null && timeToRecoverMs <= RECOVERY_LIMIT_MS,
      };
      // Only with the cluster: through a whole outage the watching kafkajs consumer itself gives up (its retries
      // run out), which says nothing about Surge's consumers.
      if (cluster) checks['a consumer group kept consuming after the kill'] = consumedAfter;
      if (cluster)
        checks[`refusals only within a leader election (≤ ${electionMs / 1000} s)`] = refusalMs <= electionMs;
      return {
        experiment: options.experiment,
        accepted: outcome.accepted.size,
        lost,
        duplicated,
        recoveredBySelf: timeToRecoverMs !== null,
        timeToRecoverMs,
        notes: `${outcome.statuses['202'] ?? 0} requests answered 202${refusals.length ? `; refused: ${refusals.join(', ')} over ${(refusalMs / 1000).toFixed(1)} s` : '; none refused'}${examples.length ? `; twice: ${examples.join(', ')}` : ''}${missing.length ? `; missing values ${missing.slice(0, 10).join(', ')} (highest accepted ${Math.max(...outcome.accepted)})` : ''}`,
        checks,
      };
    } finally {
      await load.stop();
      readiness.stop();
      await watch.stop().catch(() => undefined);
      await ingest.stop().catch(() => undefined);
    }
  } finally {
    await cluster?.stop();
    await single?.stop();
  }
}

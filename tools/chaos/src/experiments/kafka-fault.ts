import type { ExperimentResult } from '../experiment-result';
import { startChaosIngest } from '../ingest-service';
import { startIngestLoad } from '../ingest-load';
import { PIPELINE_SERVICES } from '../pipeline/chaos-pipeline';
import { type FaultOutcome, type PipelineContext, RECOVERY_LIMIT_MS, runOnPipeline } from '../pipeline/pipeline-run';
import { eventually, sleep, watchReadiness } from '../readiness-watch';
import { compareAccepted, countSamplesOnTopic } from '../sample-reader';

const KUBE_DOWN_MS = 30_000;

/**
 * The pipeline's broker (its own) killed with -9 and started again after `outageMs`, while decisions flow and
 * metrics-ingest takes samples on the same broker: every service must ride it out (none exits), ingest must keep
 * every sample it answered 202 for, and everything the pipeline was handed before or after must be done once.
 */
function brokerOutage(experiment: string, outageMs: number, expectNotReady: boolean) {
  return async (context: PipelineContext): Promise<FaultOutcome> => {
    const { pipeline } = context;
    const kafka = pipeline.kafka;
    if (!kafka) throw new Error('a Kafka fault needs the pipeline on a private broker');
    const ingest = await startChaosIngest(pipeline.brokers, 1);
    const readiness = watchReadiness(() => ingest.url);
    const load = startIngestLoad({ token: ingest.token, url: () => ingest.url, maxMs: outageMs + 120_000 });
    try {
      await sleep(3_000);
      const services = PIPELINE_SERVICES.map((name) => ({
        name,
        watch: watchReadiness(() => pipeline.url(name), 1_000),
      }));
      const killedAt = Date.now();
      await kafka.kill9();
      await sleep(outageMs);
      const restartedAt = Date.now();
      for (const { watch } of services) watch.stop();
      const reported = services.filter((s) => s.watch.notReadyBetween(killedAt, restartedAt)).map((s) => s.name);
      await kafka.restart();
      const faultEnd = Date.now();
      const accepting = () =>
        load.outcome.acceptedAt.some((at) => at > Math.max(faultEnd, load.outcome.lastRefusalAt ?? 0));
      await eventually(() => accepting() && readiness.readySince(faultEnd) !== undefined, RECOVERY_LIMIT_MS);
      await sleep(2_000);
      const outcome = await load.stop();
      const onTopic = await countSamplesOnTopic(pipeline.brokers, ingest.topic);
      const { lost, duplicated, examples } = compareAccepted(outcome.accepted, onTopic);
      const checks: Record<string, boolean> = {
        'ingest: every 202 on the topic': lost === 0,
        'ingest: no sample twice': duplicated === 0,
        'ingest: ready and accepting again': accepting(),
      };
      // Through a whole minute every service that consumes must have said so; a 10 s kill may pass between polls.
      if (expectNotReady)
        checks['every service reported not ready during the outage'] = reported.length === PIPELINE_SERVICES.length;
      const refused = Object.entries(outcome.statuses)
        .filter(([status]) => status !== '202')
        .map(([status, count]) => `${count}× ${status}`);
      return {
        experiment,
        faultEnd,
        checks,
        ingest: { accepted: outcome.accepted.size, lost, duplicated },
        notes: [
          `broker kill -9, back after ${outageMs / 1000} s`,
          `not ready meanwhile: ${reported.join(', ') || 'none'}`,
          `ingest: ${outcome.accepted.size} samples answered 202, ${lost} lost, ${duplicated} twice${refused.length ? `, refused ${refused.join(', ')}` : ''}${examples.length ? ` (twice: ${examples.join(', ')})` : ''}`,
        ],
      };
    } finally {
      readiness.stop();
      await load.stop();
      await ingest.stop().catch(() => undefined);
    }
  };
}

/** The Kubernetes API stand-in answering 503 to everything for 30 s while decisions for its workloads flow. */
async function kubeApiDown({ pipeline }: PipelineContext): Promise<FaultOutcome> {
  pipeline.api.down = true;
  await sleep(KUBE_DOWN_MS);
  pipeline.api.down = false;
  return {
    experiment: 'Kubernetes API stand-in 503 for 30 s (whole pipeline)',
    faultEnd: Date.now(),
    notes: [`every Kubernetes API request answered 503 for ${KUBE_DOWN_MS / 1000} s`],
  };
}

export const kafkaPipelineFaults = [
  brokerOutage('Kafka: single broker kill -9, back after 10 s (whole pipeline and ingest)', 10_000, false),
  brokerOutage('Kafka down 60 s (whole pipeline and ingest)', 60_000, true),
  kubeApiDown,
];

/** The pipeline on a broker of its own, so that it can be stopped: the Kafka faults, then the Kubernetes one. */
export async function pipelineKafka(): Promise<ExperimentResult[]> {
  return runOnPipeline({ appendonly: true, audit: true, privateKafka: true }, kafkaPipelineFaults);
}

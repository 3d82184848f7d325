import type { ExperimentResult } from '../experiment-result';
import { sleep } from '../readiness-watch';
import { type FaultOutcome, type PipelineContext, runOnPipeline } from '../pipeline/pipeline-run';

const DOWN_MS = 60_000;

/** The audit log's private PostgreSQL stopped for 60 s while decisions, results and room events flow. */
export const postgresDownFaults = [
  async ({ pipeline }: PipelineContext): Promise<FaultOutcome> => {
    await pipeline.postgres.halt();
    const haltedAt = Date.now();
    let notReadySeen = false;
    while (Date.now() - haltedAt < DOWN_MS) {
      const ready = await fetch(`${pipeline.url('audit-log')}/health/ready`, { signal: AbortSignal.timeout(2_000) })
        .then((res) => res.ok)
        .catch(() => false);
      if (!ready) notReadySeen = true;
      await sleep(1_000);
    }
    await pipeline.postgres.resume();
    return {
      experiment: 'PostgreSQL (audit) down 60 s under traffic',
      faultEnd: Date.now(),
      checks: { 'audit-log reported not ready during the outage': notReadySeen },
      notes: [`PostgreSQL stopped (fast shutdown) for ${DOWN_MS / 1000} s`],
    };
  },
];

export async function postgresDown60s(): Promise<ExperimentResult[]> {
  return runOnPipeline({ appendonly: true, audit: true }, postgresDownFaults);
}

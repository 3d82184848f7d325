import type { ExperimentResult } from '../experiment-result';
import { sleep } from '../readiness-watch';
import type { PipelineService } from '../pipeline/chaos-pipeline';
import { type FaultOutcome, type PipelineContext, runOnPipeline } from '../pipeline/pipeline-run';

/** kill -9 of one service mid-stream: nobody restarts it but its supervisor, as under npm start. */
function kill(name: PipelineService) {
  return async ({ pipeline }: PipelineContext): Promise<FaultOutcome> => {
    const supervisor = pipeline.supervisors.get(name)!;
    const service = supervisor.service;
    if (!service) throw new Error(`${name} is not running before its kill`);
    const exited = new Promise((resolve) => service.child.once('exit', resolve));
    service.child.kill('SIGKILL');
    const killedAt = Date.now();
    await exited;
    const deadline = Date.now() + 90_000;
    while (!(supervisor.service && supervisor.service !== service) && Date.now() < deadline) await sleep(250);
    const restarted = supervisor.service !== null && supervisor.service !== service;
    return {
      experiment: `${name} kill -9 mid-stream (pipeline from dist, supervised)`,
      faultEnd: killedAt,
      exitExpected: true,
      checks: { 'restarted by its supervisor': restarted },
      notes: [restarted ? `back after ${((Date.now() - killedAt) / 1000).toFixed(1)} s` : 'not restarted'],
    };
  };
}

/** Each of the rules engine, an executor, the audit log and the waiting room killed in turn, on one pipeline. */
export const serviceKillFaults = (['rules-engine', 'executor-k8s', 'audit-log', 'virtual-queue'] as const).map(kill);

export async function serviceKill(): Promise<ExperimentResult[]> {
  return runOnPipeline({ appendonly: true, audit: true }, serviceKillFaults);
}

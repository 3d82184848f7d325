import { startLocalKafka } from '@surge/harness';
import { type ExperimentResult } from '../experiment-result';
import { startChaosIngest } from '../ingest-service';
import { startIngestLoad } from '../ingest-load';
import { sleep } from '../readiness-watch';
import { compareAccepted, countSamplesOnTopic } from '../sample-reader';

/**
 * kill -9 of metrics-ingest mid-stream (private broker). A 202 is only sent after the broker acknowledged the
 * batch, so nothing answered 202 may be missing; requests in flight at the kill get no answer and count as refused.
 * Nobody but its ServiceSupervisor (the one npm start runs it under) brings it back.
 */
export async function ingestKill(): Promise<ExperimentResult> {
  const kafka = await startLocalKafka();
  try {
    const ingest = await startChaosIngest(kafka.brokers, 1);
    const load = startIngestLoad({ url: () => ingest.url, token: ingest.token, maxMs: 120_000 });
    try {
      await sleep(5_000);
      const killedAt = Date.now();
      const restarted = await ingest.killAndAwaitRestart();
      const back = Date.now();
      await sleep(3_000);
      const outcome = await load.stop();
      const firstAfter = outcome.acceptedAt.find((at) => at > back);
      const onTopic = await countSamplesOnTopic(kafka.brokers, ingest.topic);
      const { lost, duplicated, examples } = compareAccepted(outcome.accepted, onTopic);
      const refusals = Object.entries(outcome.statuses).filter(([status]) => status !== '202');
      return {
        experiment: 'metrics-ingest kill -9 mid-stream',
        accepted: outcome.accepted.size,
        lost,
        duplicated,
        recoveredBySelf: restarted && firstAfter !== undefined,
        timeToRecoverMs: firstAfter === undefined ? null : firstAfter - killedAt,
        notes:
          `${ingest.supervisorLines.join('; ') || 'the supervisor said nothing'}; ` +
          `refused while down: ${refusals.map(([status, count]) => `${count}× ${status}`).join(', ') || 'none'}` +
          (examples.length ? `; twice: ${examples.join(', ')}` : ''),
        checks: {
          'every 202 on the topic': lost === 0,
          'no sample twice': duplicated === 0,
          'restarted by its supervisor': restarted,
          'accepting after restart': firstAfter !== undefined,
        },
      };
    } finally {
      await load.stop();
      await ingest.stop().catch(() => undefined);
    }
  } finally {
    await kafka.stop();
  }
}

import type { ExperimentResult } from '../experiment-result';
import { sleep } from '../readiness-watch';
import { type ChaosPipeline, PIPELINE_SERVICES, startChaosPipeline } from './chaos-pipeline';
import { capacityExcesses, watchCapacity } from './capacity-watch';
import { DecisionDriver, finalResults } from './decision-driver';
import { feedLoad } from './load-feeder';
import { API, ROOM, WEB } from './pipeline-files';
import { checkPipeline, waitAllReady } from './pipeline-invariants';
import { type RoomAnswer, summarizeRoom, watchRoom } from './room-watch';

export const RECOVERY_LIMIT_MS = 60_000;

/** What a fault did, as the experiment saw it: when it ended, and the checks only it can make. */
export interface FaultOutcome {
  experiment: string;
  /** The dependency back, or the kill itself when the supervisor is what brings the service back. */
  faultEnd: number;
  checks?: Record<string, boolean>;
  notes?: string[];
  /** Whether a service exiting is part of the fault (a kill) rather than a defect (an outage must not end one). */
  exitExpected?: boolean;
  /** Samples an ingest under the same fault answered 202 for, and how many of them the topic lost or holds twice. */
  ingest?: { accepted: number; lost: number; duplicated: number };
}

export interface PipelineContext {
  pipeline: ChaosPipeline;
  driver: DecisionDriver;
  room: { answers: RoomAnswer[] };
}

/**
 * Runs the pipeline with decisions flowing (the driver on shop/web and the room, the rules engine on shop/api),
 * applies each fault in turn, and after each one counts with independent readers: each decision one final
 * result, one back-end change per applied decision, the audit table equal to the topics, every service ready
 * again within 60 s without a manual restart, the room never answering 404.
 */
export async function runOnPipeline(
  options: { appendonly: boolean; audit: boolean; privateKafka?: boolean },
  faults: ((context: PipelineContext) => Promise<FaultOutcome>)[],
): Promise<ExperimentResult[]> {
  const pipeline = await startChaosPipeline({ appendonly: options.appendonly, privateKafka: options.privateKafka });
  const driver = new DecisionDriver(pipeline.bed, [WEB, ROOM]);
  const feeder = feedLoad(pipeline.bed);
  const room = watchRoom(() => pipeline.url('virtual-queue'), ROOM.name);
  const capacity = watchCapacity(pipeline.redis.url, ROOM.name);
  const results: ExperimentResult[] = [];
  try {
    driver.start();
    await warmUp(pipeline, driver);
    for (const fault of faults) {
      const answersBefore = room.answers.length;
      const readingsBefore = capacity.readings.length;
      const linesBefore = pipeline.supervisorLines.length;
      const sentBefore = driver.sent.length;
      const outcome = await fault({ pipeline, driver, room });
      const { readyAt, notReady } = await waitAllReady(pipeline, PIPELINE_SERVICES, RECOVERY_LIMIT_MS + 30_000);
      // Recovered means ready and doing its work: a decision sent after the fault applied, the engine deciding again.
      const appliedAfter = await firstAppliedAfter(pipeline, driver, outcome.faultEnd, sentBefore);
      const engineAfter = await engineDecidedAfter(pipeline, outcome.faultEnd);
      await sleep(5_000);
      // Quiet before counting: nothing decided while the readers take their snapshot, so nothing is in flight.
      await driver.stop();
      feeder.pause(true);
      await sleep(3_000);
      const recoveredAt =
        readyAt !== null && appliedAfter !== null && engineAfter !== null
          ? Math.max(readyAt, appliedAfter, engineAfter)
          : null;
      const timeToRecoverMs = recoveredAt === null ? null : Math.max(0, recoveredAt - outcome.faultEnd);
      const counts = await checkPipeline(pipeline, { audit: options.audit });
      feeder.pause(false);
      driver.start();
      const answers = room.answers.slice(answersBefore);
      const { excesses, full } = capacityExcesses(capacity.readings.slice(Math.max(0, readingsBefore - 1)));
      const lines = pipeline.supervisorLines.slice(linesBefore);
      const exits = lines.filter((line) => line.includes(' exited '));
      const checks: Record<string, boolean> = {
        ...counts.checks,
        'room never answered 404': answers.every((a) => a.status !== 404),
        'every 503 of the room with Retry-After': answers.every((a) => a.status !== 503 || a.retryAfter !== null),
        'room answering 200 again': answers.slice(-3).every((a) => a.status === 200),
        'maxActive never exceeded (sessions read from Redis)': excesses.length === 0,
        'rules engine deciding again': engineAfter !== null,
        [`every service ready again within ${RECOVERY_LIMIT_MS / 1000} s`]:
          timeToRecoverMs !== null && timeToRecoverMs <= RECOVERY_LIMIT_MS,
        ...outcome.checks,
      };
      if (!outcome.exitExpected) checks['no service exited'] = exits.length === 0;
      results.push({
        experiment: outcome.experiment,
        // Decisions, plus the samples an ingest under the same fault accepted: each is one thing not to lose.
        accepted: counts.decisions + (outcome.ingest?.accepted ?? 0),
        lost: counts.lost + (outcome.ingest?.lost ?? 0),
        duplicated: counts.duplicated + (outcome.ingest?.duplicated ?? 0),
        recoveredBySelf: readyAt !== null && recoveredAt !== null,
        timeToRecoverMs,
        notes: [
          ...(outcome.notes ?? []),
          ...counts.notes,
          `room: ${summarizeRoom(answers)}`,
          `capacity: full in ${full} of ${capacity.readings.length - readingsBefore} readings${excesses.length ? `, over maxActive: ${excesses.slice(0, 3).join(', ')}` : ', never over maxActive'}`,
          ...(notReady.length ? [`not ready: ${notReady.join(', ')}`] : []),
          ...(exits.length ? [`supervisor: ${exits.map((l) => l.slice(25)).join('; ')}`] : []),
        ].join('; '),
        checks,
      });
    }
  } finally {
    await driver.stop();
    await feeder.stop();
    room.stop();
    await capacity.stop();
    await pipeline.stop();
  }
  return results;
}

/** Each driven target applied a decision and the rules engine decided once, so the faults hit a working pipeline. */
async function warmUp(pipeline: ChaosPipeline, driver: DecisionDriver): Promise<void> {
  const deadline = Date.now() + 90_000;
  const applied = (id: string) =>
    driver.sent.some(
      (d) =>
        d.target.id === id && finalResults(pipeline.bed.resultsFor(d.decisionId)).some((r) => r.status === 'applied'),
    );
  while (Date.now() < deadline) {
    if (applied(WEB.id) && applied(ROOM.id) && pipeline.bed.results.some((r) => r.target.id === API.id)) return;
    await sleep(250);
  }
  throw new Error('the pipeline did not apply decisions within 90 s of its start');
}

async function firstAppliedAfter(
  pipeline: ChaosPipeline,
  driver: DecisionDriver,
  since: number,
  sentBefore: number,
): Promise<number | null> {
  const deadline = Date.now() + RECOVERY_LIMIT_MS + 30_000;
  while (Date.now() < deadline) {
    const times = driver.sent
      .slice(sentBefore)
      .flatMap((d) => finalResults(pipeline.bed.resultsFor(d.decisionId)))
      .filter((r) => r.status === 'applied' && r.time > since)
      .map((r) => r.time);
    if (times.length > 0) return Math.min(...times);
    await sleep(250);
  }
  return null;
}

async function engineDecidedAfter(pipeline: ChaosPipeline, since: number): Promise<number | null> {
  const deadline = Date.now() + RECOVERY_LIMIT_MS + 30_000;
  while (Date.now() < deadline) {
    const result = pipeline.bed.results.find((r) => r.target.id === API.id && r.status === 'applied' && r.time > since);
    if (result) return result.time;
    await sleep(250);
  }
  return null;
}

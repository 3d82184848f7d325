import { Redis } from 'ioredis';
import type { ExperimentResult } from '../experiment-result';
import { sleep } from '../readiness-watch';
import { ROOM, WEB } from '../pipeline/pipeline-files';
import { type FaultOutcome, type PipelineContext, runOnPipeline } from '../pipeline/pipeline-run';

const REDIS_DOWN_MS = 10_000;

/**
 * After the loss, the last decision applied on each driven target is delivered again, as a replay after a crash
 * would: the executor must recognise it (records rebuilt from the actions topic) and not apply it a second time.
 */
async function redeliverLastApplied({ pipeline, driver }: PipelineContext): Promise<string[]> {
  const replays = [WEB.id, ROOM.id].map((id) => driver.lastApplied(id)).filter((d) => d !== undefined);
  for (const decision of replays) await pipeline.bed.produce(decision);
  return replays.map((d) => d.decisionId);
}

async function redeliveriesSeen(context: PipelineContext, ids: string[]): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  // Two results each: the first one, and the redelivery's (`duplicate` when recognised).
  while (!ids.every((id) => context.pipeline.bed.resultsFor(id).length >= 2)) {
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
  return true;
}

function killAndRestart(experiment: string, appendonly: boolean) {
  return async (context: PipelineContext): Promise<FaultOutcome> => {
    const { redis } = context.pipeline;
    await redis.kill9();
    await sleep(REDIS_DOWN_MS);
    await redis.restart();
    const faultEnd = Date.now();
    const ids = await redeliverLastApplied(context);
    const seen = await redeliveriesSeen(context, ids);
    return {
      experiment,
      faultEnd,
      checks: { 'redelivered decisions answered': seen },
      notes: [`Redis kill -9, down ${REDIS_DOWN_MS / 1000} s, restarted ${appendonly ? 'from its AOF' : 'empty'}`],
    };
  };
}

async function flush(context: PipelineContext): Promise<FaultOutcome> {
  const client = new Redis(context.pipeline.redis.url, { maxRetriesPerRequest: 2 });
  try {
    await client.flushall();
  } finally {
    client.disconnect();
  }
  const faultEnd = Date.now();
  const ids = await redeliverLastApplied(context);
  const seen = await redeliveriesSeen(context, ids);
  return {
    experiment: 'Redis FLUSHALL under decisions (room, executors, rules engine)',
    faultEnd,
    checks: { 'redelivered decisions answered': seen },
    notes: ['every key flushed while decisions flow'],
  };
}

export const redisRestartAofFaults = [
  killAndRestart('Redis kill -9 and restart with AOF everysec (room, executors, rules engine)', true),
];

export async function redisRestartAof(): Promise<ExperimentResult[]> {
  return runOnPipeline({ appendonly: true, audit: true }, redisRestartAofFaults);
}

/** Without persistence: a flush, then a kill -9 and a restart that comes back empty, on one pipeline. */
export async function redisLoss(): Promise<ExperimentResult[]> {
  return runOnPipeline({ appendonly: false, audit: true }, [
    flush,
    killAndRestart('Redis kill -9 and restart without persistence (room, executors, rules engine)', false),
  ]);
}

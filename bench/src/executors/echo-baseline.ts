import { randomUUID } from 'node:crypto';
import type { ExecutorTestBed } from '@surge/executor-framework/testing';
import { SurgeProducer } from '@surge/kafka';

/** The p-th percentile (nearest rank) of the values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/**
 * The floor under the executors' latency: a record produced to the decisions topic, read by a consumer that forwards
 * it unchanged to the actions topic, read there. Same topics, same producer settings (acks=-1), no work in between.
 */
export async function echoBaseline(bed: ExecutorTestBed, warmup: number, count: number): Promise<number[]> {
  await bed.stopRuntimes();
  const producer = new SurgeProducer(bed.kafka);
  await producer.connect();
  const consumer = bed.kafka.consumer({ groupId: `bench-echo-${randomUUID()}`, maxWaitTimeInMs: 100, minBytes: 1 });
  await consumer.connect();
  await consumer.subscribe({ topics: [bed.topics.decisions], fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = JSON.parse(message.value!.toString('utf8')) as { decisionId: string; target: unknown };
      await producer.sendJson(bed.topics.actions, message.key?.toString() ?? null, { ...value, status: 'echo' });
    },
  });
  // Wait for the group to be assigned before timing anything.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const latencies: number[] = [];
  try {
    for (let i = 0; i < warmup + count; i += 1) {
      const decision = bed.decision({ target: { kind: 'Echo', id: 'echo/echo' }, to: 1 });
      const started = performance.now();
      await bed.produce(decision);
      await bed.waitFor('echo', () => bed.arrivals.get(decision.decisionId), 10_000);
      if (i >= warmup) latencies.push(bed.arrivals.get(decision.decisionId)! - started);
    }
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  return latencies;
}

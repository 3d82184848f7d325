import { randomUUID } from 'node:crypto';
import { type ActionResult, actionResult } from '@surge/contracts';
import type { Kafka } from 'kafkajs';

export interface ActionHistoryOptions {
  kafka: Kafka;
  /** The actions topic. */
  topic: string;
  /** Each read joins a group of its own, this prefix and a random suffix, and commits nothing. */
  groupPrefix: string;
  /** Only results for kinds this executor owns are kept. */
  owns: (kind: string) => boolean;
  /** A read that has not reached the end of the topic by then fails (the records stay lost, the next miss retries). */
  timeoutMs?: number;
}

type Range = { start: bigint; last: bigint };

/**
 * Reads back the results published to the actions topic since a time: the durable record of what executors did,
 * from which the Redis records are rebuilt when Redis has lost them. Each partition is read from the first offset
 * at or after `sinceMs` (the broker's time index) to the last record it holds now. A record that is not a valid
 * result is skipped: the audit log keeps it, and it names no decision this executor handled.
 */
export async function readRecentResults(options: ActionHistoryOptions, sinceMs: number): Promise<ActionResult[]> {
  const ranges = await rangesSince(options.kafka, options.topic, sinceMs);
  if (ranges.size === 0) return [];
  const results: { partition: number; offset: bigint; result: ActionResult }[] = [];
  const consumer = options.kafka.consumer({
    groupId: `${options.groupPrefix}-history-${randomUUID().slice(0, 8)}`,
    maxWaitTimeInMs: 100,
  });
  const pending = new Set(ranges.keys());
  let finish: () => void = () => undefined;
  const reachedEnd = new Promise<void>((resolve) => (finish = resolve));
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const range = ranges.get(partition);
        const offset = BigInt(message.offset);
        if (!range || offset < range.start || !pending.has(partition)) return;
        const parsed = parseResult(message.value);
        if (parsed && options.owns(parsed.target.kind)) results.push({ partition, offset, result: parsed });
        if (offset >= range.last) {
          pending.delete(partition);
          if (pending.size === 0) finish();
        }
      },
    });
    // Where the time index says to start: the records before it are older than the horizon.
    for (const [partition, range] of ranges)
      consumer.seek({ topic: options.topic, partition, offset: String(range.start) });
    await Promise.race([
      reachedEnd,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`reading ${options.topic} back did not reach its end within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  results.sort((a, b) => a.partition - b.partition || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  return results.map((r) => r.result);
}

function parseResult(value: Buffer | null): ActionResult | null {
  if (!value) return null;
  try {
    const parsed = actionResult.safeParse(JSON.parse(value.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Per partition holding records since `sinceMs`: the first such offset and the last record's offset. */
async function rangesSince(kafka: Kafka, topic: string, sinceMs: number): Promise<Map<number, Range>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [high, start] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchTopicOffsetsByTimestamp(topic, sinceMs),
    ]);
    const ranges = new Map<number, Range>();
    for (const partition of high) {
      const first = BigInt(start.find((s) => s.partition === partition.partition)?.offset ?? partition.high);
      const end = BigInt(partition.high);
      if (first < end) ranges.set(partition.partition, { start: first, last: end - 1n });
    }
    return ranges;
  } finally {
    await admin.disconnect();
  }
}

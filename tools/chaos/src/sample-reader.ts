import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { CHAOS_METRIC } from './ingest-load';

/**
 * Reads a samples topic from its beginning to the end offsets of this moment with a consumer group of its own
 * (not the code under test), and lists where each chaos sample value is on it: partition:offset, with the producer
 * id and first sequence of the record batch that holds it.
 */
export async function countSamplesOnTopic(
  brokers: string,
  topic: string,
  timeoutMs = 60_000,
): Promise<Map<number, string[]>> {
  const kafka = new Kafka({ clientId: 'surge-chaos-reader', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const endOffsets = async () =>
    new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  const counts = new Map<number, string[]>();
  const seen = new Set<string>();
  const readTo = new Map<number, number>();
  const consumer = kafka.consumer({ groupId: `chaos-reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        // A record handed over twice (a rebalance, a fetch retried) is one record on the topic: count it once.
        const position = `${partition}:${message.offset}`;
        if (seen.has(position)) return;
        seen.add(position);
        // Which producer id and sequence wrote the record: tells a retry the broker failed to recognise (same
        // sequence) from one sent again under a new number (a client's resend) when a value is there twice.
        const batch = (message as { batchContext?: { producerId?: string; firstSequence?: number } }).batchContext;
        const written = batch ? `${position} (producer ${batch.producerId} seq ${batch.firstSequence})` : position;
        const body = JSON.parse(message.value?.toString('utf8') ?? '{}') as {
          samples?: { metric?: string; value?: number }[];
        };
        for (const sample of body.samples ?? [])
          if (sample.metric === CHAOS_METRIC && typeof sample.value === 'number')
            counts.set(sample.value, [...(counts.get(sample.value) ?? []), written]);
        readTo.set(partition, Math.max(readTo.get(partition) ?? 0, Number(message.offset) + 1));
      },
    });
    const deadline = Date.now() + timeoutMs;
    // Right after a leader change the new leader's high watermark can lag what it acknowledged: read to the end,
    // ask again, and stop only when the end did not move.
    let ends = await endOffsets();
    for (;;) {
      const behind = [...ends].filter(([partition, high]) => (readTo.get(partition) ?? 0) < high);
      if (behind.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const again = await endOffsets();
        if ([...again].every(([partition, high]) => ends.get(partition) === high)) return counts;
        ends = again;
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`reading ${topic} back: ${behind.length} partitions not read to the end in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await consumer.disconnect();
    await admin.disconnect();
  }
}

/** Acknowledged values missing from the topic, and values present more than once. */
export function compareAccepted(
  accepted: Set<number>,
  onTopic: Map<number, string[]>,
): { lost: number; duplicated: number; examples: string[]; missing: number[] } {
  const missing = [...accepted].filter((value) => !onTopic.has(value)).sort((a, b) => a - b);
  const lost = missing.length;
  let duplicated = 0;
  const examples: string[] = [];
  for (const [value, positions] of onTopic) {
    if (positions.length < 2) continue;
    duplicated += positions.length - 1;
    if (examples.length < 3) examples.push(`${value} at ${positions.join(' and ')}`);
  }
  return { lost, duplicated, examples, missing };
}

import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface TopicRecord {
  topic: string;
  partition: number;
  offset: number;
  value: string | null;
}

/**
 * Every record of the given topics up to their end offsets of this moment, read by a consumer group of its own
 * (not the code under test): the independent reader of the pipeline's invariants.
 */
export async function readTopics(brokers: string, topics: string[], timeoutMs = 60_000): Promise<TopicRecord[]> {
  const kafka = new Kafka({ clientId: 'surge-chaos-reader', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  try {
    for (const topic of topics)
      for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, Number(p.high));
  } finally {
    await admin.disconnect();
  }
  const records = new Map<string, TopicRecord>();
  const readTo = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `chaos-reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const offset = Number(message.offset);
        // A record handed over twice (a fetch retried) is one record on the topic.
        records.set(`${topic}:${partition}:${offset}`, {
          topic,
          partition,
          offset,
          value: message.value?.toString('utf8') ?? null,
        });
        const key = `${topic}:${partition}`;
        readTo.set(key, Math.max(readTo.get(key) ?? 0, offset + 1));
      },
    });
    const deadline = Date.now() + timeoutMs;
    // Compacted or transactional offsets can leave gaps: the end is reached when the next offset to read is the high mark.
    while ([...ends].some(([key, high]) => (readTo.get(key) ?? 0) < high)) {
      if (Date.now() > deadline)
        throw new Error(`reading ${topics.join(', ')} back: not at the end in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await consumer.disconnect();
  }
  return [...records.values()];
}

import type { Kafka } from 'kafkajs';

/**
 * Creates the topics Surge uses, with the configured partition count. Surge never relies on broker
 * auto-creation: an auto-created topic silently gets the broker's default partitions and retention.
 * Existing topics are left as they are.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: string[],
  partitions: number,
  replicationFactor = 1,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

import { type Kafka } from 'kafkajs';

type Admin = ReturnType<Kafka['admin']>;

// Answers a node gives while a topic it just learned of is still propagating: retried, not thrown.
const PROPAGATING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_OR_FOLLOWER']);

function propagating(error: unknown): boolean {
  const { type, retriable, cause } = error as { type?: string; retriable?: boolean; cause?: unknown };
  return PROPAGATING.has(type ?? '') || retriable === true || (cause !== undefined && propagating(cause));
}

async function leadersKnown(admin: Admin, topics: string[], partitions: number): Promise<boolean> {
  try {
    const { topics: described } = await admin.fetchTopicMetadata({ topics });
    const named =
      described.length === topics.length &&
      described.every(
        (topic) =>
          topic.partitions.length >= partitions && topic.partitions.every((partition) => partition.leader >= 0),
      );
    if (!named) return false;
    // ListOffsets goes to each partition's leader, which answers only once it knows it leads: the metadata of
    // another node can name a leader before that node has taken the partition on.
    for (const topic of topics) await admin.fetchTopicOffsets(topic);
    return true;
  } catch (error) {
    if (propagating(error)) return false;
    throw error;
  }
}

/**
 * Waits until every partition of `topics` has a leader. kafkajs' `createTopics({ waitForLeaders: true })` asks one
 * node and retries only LEADER_NOT_AVAILABLE; on a multi-node cluster the node it asks may not host the new topic
 * yet and answers UNKNOWN_TOPIC_OR_PARTITION, which it throws. Metadata requests go to whichever node the admin
 * picks, so the answer must hold twice in a row, and every leader must answer for its partitions itself.
 */
export async function waitForLeaders(admin: Admin, topics: string[], partitions: number, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let streak = 0;
  while (streak < 2) {
    streak = (await leadersKnown(admin, topics, partitions)) ? streak + 1 : 0;
    if (streak >= 2) return;
    if (Date.now() > deadline)
      throw new Error(`topics ${topics.join(', ')} have no leader for every partition after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

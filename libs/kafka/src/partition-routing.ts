import { type Kafka, type Message, type PartitionMetadata, Partitioners, type TopicMessages } from 'kafkajs';

/** One topic-partition's share of a send, every message carrying its partition, in send order. */
export interface PartitionMessages {
  topic: string;
  /** Absent for a topic whose partitions are not known yet: kafkajs routes those messages itself. */
  partition?: number;
  messages: Message[];
}

// kafkajs' own metadata.max.age: a topic given more partitions is seen as soon as kafkajs itself would see it.
const METADATA_MAX_AGE_MS = 300_000;

/**
 * Chooses each message's partition before the send, the way kafkajs' DefaultPartitioner would (Murmur2 of the key,
 * as the Java client; round-robin over partitions with a leader for a message without one), from the topic's
 * metadata fetched once per METADATA_MAX_AGE_MS, so SurgeProducer can hand kafkajs one partition per call.
 */
export class PartitionRouting {
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly cache = new Map<string, { metadata: PartitionMetadata[]; fetchedAt: number }>();
  private readonly fetching = new Map<string, Promise<PartitionMetadata[]>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly maxAgeMs = METADATA_MAX_AGE_MS,
  ) {}

  /** The messages grouped by topic-partition; each message keeps its place relative to the others of its key. */
  async route(topicMessages: TopicMessages[]): Promise<PartitionMessages[]> {
    const groups = new Map<string, PartitionMessages>();
    for (const { topic, messages } of topicMessages) {
      const partitionMetadata = await this.metadataOf(topic);
      // A topic the brokers do not list yet (created on first write where the cluster allows it) is left to
      // kafkajs, as before; it is routed here from the send after its partitions are known.
      if (partitionMetadata.length === 0) {
        groups.set(`${topic}\u0000*`, { topic, messages: [...messages] });
        continue;
      }
      for (const message of messages) {
        const partition = this.partitioner({ topic, partitionMetadata, message });
        const key = `${topic}\u0000${partition}`;
        const group = groups.get(key) ?? { topic, partition, messages: [] };
        group.messages.push({ ...message, partition });
        groups.set(key, group);
      }
    }
    return [...groups.values()];
  }

  private async metadataOf(topic: string): Promise<PartitionMetadata[]> {
    const cached = this.cache.get(topic);
    if (cached && Date.now() - cached.fetchedAt < this.maxAgeMs) return cached.metadata;
    let pending = this.fetching.get(topic);
    if (!pending) {
      pending = this.fetch(topic);
      this.fetching.set(topic, pending);
      const done = () => this.fetching.delete(topic);
      pending.then(done, done);
    }
    try {
      return await pending;
    } catch {
      // Partitions are only ever added, so an older list still names partitions that exist: keep sending with it
      // through a metadata outage rather than fail sends the brokers could take.
      // Without any list (a topic not created yet, a broker down at the first send), kafkajs routes the send itself,
      // retrying as it always has: the one-partition-a-call rule starts with the first list.
      return cached?.metadata ?? [];
    }
  }

  private async fetch(topic: string): Promise<PartitionMetadata[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const metadata = topics.find((t) => t.name === topic)?.partitions ?? [];
      if (metadata.length > 0) this.cache.set(topic, { metadata, fetchedAt: Date.now() });
      return metadata;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

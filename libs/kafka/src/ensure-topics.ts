import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { waitForLeaders } from './wait-for-leaders';

/** Topic-level settings (`cleanup.policy`, `retention.ms`, …) that a topic must carry, by topic name. */
export type TopicConfigs = Record<string, Record<string, string>>;

// DescribeConfigs' source of a setting made on the topic itself (Kafka's ConfigSource.DYNAMIC_TOPIC_CONFIG).
const DYNAMIC_TOPIC_CONFIG = 1;

/**
 * Creates the topics Surge uses, with the configured partition count. Surge never relies on broker
 * auto-creation: an auto-created topic silently gets the broker's default partitions and retention.
 * Existing topics keep their partitions; a topic named in `configs` is created with those settings, and an
 * existing one whose settings differ is altered, so a topic created by an older release gets them at start.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: string[],
  partitions: number,
  replicationFactor = 1,
  configs: TopicConfigs = {},
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set([...topics, ...Object.keys(configs)])];
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        // kafkajs' own wait throws on a node that does not host the new topic yet: see waitForLeaders.
        waitForLeaders: false,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor,
          configEntries: Object.entries(configs[topic] ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      await waitForLeaders(admin, missing, partitions);
    }
    const present = Object.keys(configs).filter((topic) => existing.has(topic));
    if (present.length > 0) await alignConfigs(admin, present, configs);
    return missing;
  } finally {
    await admin.disconnect();
  }
}

type Admin = ReturnType<Kafka['admin']>;

async function alignConfigs(admin: Admin, topics: string[], configs: TopicConfigs): Promise<void> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const resources = described.resources.flatMap((resource) => {
    const wanted = configs[resource.resourceName] ?? {};
    const current = new Map(resource.configEntries.map((entry) => [entry.configName, entry]));
    if (Object.entries(wanted).every(([name, value]) => current.get(name)?.configValue === value)) return [];
    // AlterConfigs replaces every setting made on the topic, so the ones made by hand are carried over.
    const kept = resource.configEntries
      .filter((entry) => entry.configSource === DYNAMIC_TOPIC_CONFIG && !(entry.configName in wanted))
      .map((entry) => ({ name: entry.configName, value: entry.configValue }));
    const set = Object.entries(wanted).map(([name, value]) => ({ name, value }));
    return [{ type: ConfigResourceTypes.TOPIC, name: resource.resourceName, configEntries: [...kept, ...set] }];
  });
  if (resources.length > 0) await admin.alterConfigs({ validateOnly: false, resources });
}

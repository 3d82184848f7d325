import { TOPIC_SETTINGS, type TopicKey, type Topics } from '@surge/contracts';
import type { Kafka } from 'kafkajs';
import { ensureTopics, type TopicConfigs } from './ensure-topics';
import type { KafkaModuleOptions } from './kafka-module.options';

/** The contract's settings of these topics (the control topic's compaction), by the names in force. */
export function topicSettingsFor(keys: readonly TopicKey[], topics: Topics): TopicConfigs {
  const configs: TopicConfigs = {};
  for (const key of keys) {
    const settings = TOPIC_SETTINGS[key];
    if (settings) configs[topics[key]] = { ...settings };
  }
  return configs;
}

/** Creates the module's start-up topics that are missing, and aligns the settings of those that exist. */
export async function createStartupTopics(
  kafka: Kafka,
  options: KafkaModuleOptions,
  topics: Topics,
): Promise<string[]> {
  const keys = options.topics ?? [];
  if (keys.length === 0) return [];
  return ensureTopics(
    kafka,
    keys.map((key) => topics[key]),
    options.config.SURGE_TOPIC_PARTITIONS,
    options.config.SURGE_TOPIC_REPLICATION,
    topicSettingsFor(keys, topics),
  );
}

import { DEFAULT_TOPICS, TOPIC_ENV_NAMES, type TopicKey, type Topics } from '@surge/contracts';

/**
 * Every topic of the contracts' table under a test run's own prefix (`test.vq.ab12cd34.decisions`, …), so a test
 * on the shared Kafka never writes to another run's topics or to the defaults, whichever topics it thinks of.
 */
export function runTopics(prefix: string): Topics {
  return Object.fromEntries(
    (Object.keys(DEFAULT_TOPICS) as TopicKey[]).map((key) => [key, `${prefix}.${key}`]),
  ) as Topics;
}

/** The same names as the SURGE_TOPIC_* variables a service's config reads. */
export function runTopicEnv(prefix: string): { [K in TopicKey as (typeof TOPIC_ENV_NAMES)[K]]: string } {
  const topics = runTopics(prefix);
  return Object.fromEntries(
    (Object.keys(TOPIC_ENV_NAMES) as TopicKey[]).map((key) => [TOPIC_ENV_NAMES[key], topics[key]]),
  ) as { [K in TopicKey as (typeof TOPIC_ENV_NAMES)[K]]: string };
}

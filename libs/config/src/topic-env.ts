import { DEFAULT_TOPICS, TOPIC_ENV_NAMES, type TopicEnvName, type TopicKey, type Topics } from '@surge/contracts';
import { z } from 'zod';

// What each topic carries, for the config reference. Partial on purpose: a topic added to the contracts' table
// is configurable (and documented with a generic line) before anyone writes its sentence here.
const MEANINGS: Partial<Record<TopicKey, string>> = {
  samples:
    "Topic of the workload metric samples (metrics-ingest, the executors' workload gauges and the waiting room's queue figures; the rules engine consumes)",
  observed:
    "Topic of the observed state: each target's current settings, written only by the executors, read by the rules engine",
  decisions: 'Topic of the scale decisions (the rules engine produces, executors consume)',
  actions: 'Topic of the action results: the record of what executors did',
  queueEvents: 'Topic of the waiting-room events (admissions, room changes)',
  deadLetter: 'Dead-letter topic shared by every consumer, for records that can never be handled',
  control: 'Topic of the operator controls (pause, resume, dry-run)',
  alerts:
    'Topic of the alerts (firing, resolved) of the rules that notify: the rules engine produces, the audit log and notifiers consume',
  explanations:
    'Topic of the explanations of scalings that did not happen or fell short (at max, rate-limited, paused, …): the rules engine produces, the audit log consumes',
};

function topicVariable(key: TopicKey) {
  // An empty value (`SURGE_TOPIC_SAMPLES=` in a compose file) means the default, as it always has.
  return z
    .preprocess((value) => (value === '' ? undefined : value), z.string().min(1).default(DEFAULT_TOPICS[key]))
    .describe(MEANINGS[key] ?? `Kafka topic \`${key}\``);
}

type TopicVariable = ReturnType<typeof topicVariable>;

/** One SURGE_TOPIC_* variable per topic of the contracts' table, defaulting to its name there. */
export const topicEnv = Object.fromEntries(
  (Object.keys(TOPIC_ENV_NAMES) as TopicKey[]).map((key) => [TOPIC_ENV_NAMES[key], topicVariable(key)]),
) as { [K in TopicKey as (typeof TOPIC_ENV_NAMES)[K]]: TopicVariable };

export type TopicConfig = Readonly<Record<TopicEnvName, string>>;

/** The topic names in force, from an app's validated config (whose schema spreads `kafkaEnv`). */
export function topicsFrom(config: TopicConfig): Topics {
  return Object.fromEntries(
    (Object.keys(TOPIC_ENV_NAMES) as TopicKey[]).map((key) => [key, config[TOPIC_ENV_NAMES[key]]]),
  ) as Topics;
}

/** The SURGE_TOPIC_* variables that name `topics`: the inverse of `topicsFrom`, for a child process's env. */
export function topicEnvFor(topics: Topics): TopicConfig {
  return Object.fromEntries(
    (Object.keys(TOPIC_ENV_NAMES) as TopicKey[]).map((key) => [TOPIC_ENV_NAMES[key], topics[key]]),
  ) as TopicConfig;
}

/**
 * Kafka topic names. One place, so every service agrees; each can be overridden by its SURGE_TOPIC_* variable,
 * which libs/config's `kafkaEnv` declares from TOPIC_ENV_NAMES, so a topic added here is configurable everywhere.
 */
export const DEFAULT_TOPICS = {
  samples: 'surge.metrics.samples',
  decisions: 'surge.scale.decisions',
  actions: 'surge.scale.actions',
  queueEvents: 'surge.queue.events',
  deadLetter: 'surge.deadletter',
  control: 'surge.control.events',
  /** Executors' observed state of their targets, keyed by target id. */
  observed: 'surge.targets.observed',
  /** Alert transitions (firing, resolved) of notifying rules, keyed by target id: Alertmanager's shape. */
  alerts: 'surge.alerts',
  /** Why an evaluation decided nothing or less than asked, keyed by target id. */
  explanations: 'surge.scale.explanations',
} as const;

export type TopicKey = keyof typeof DEFAULT_TOPICS;
export type Topics = Record<TopicKey, string>;

export const TOPIC_ENV_NAMES = {
  samples: 'SURGE_TOPIC_SAMPLES',
  decisions: 'SURGE_TOPIC_DECISIONS',
  actions: 'SURGE_TOPIC_ACTIONS',
  queueEvents: 'SURGE_TOPIC_QUEUE_EVENTS',
  deadLetter: 'SURGE_TOPIC_DEADLETTER',
  control: 'SURGE_TOPIC_CONTROL',
  observed: 'SURGE_TOPIC_OBSERVED',
  alerts: 'SURGE_TOPIC_ALERTS',
  explanations: 'SURGE_TOPIC_EXPLANATIONS',
} as const satisfies Record<TopicKey, `SURGE_TOPIC_${string}`>;

export type TopicEnvName = (typeof TOPIC_ENV_NAMES)[TopicKey];

/**
 * Topic settings that are part of a topic's contract, applied wherever the topic is created or found. The
 * control topic is compacted, never deleted by age: its records are keyed by the intent's scope, so Kafka keeps
 * the latest event of each scope forever and a reader that starts next year still learns that a policy is paused.
 */
export const TOPIC_SETTINGS: Partial<Record<TopicKey, Readonly<Record<string, string>>>> = {
  control: { 'cleanup.policy': 'compact' },
};

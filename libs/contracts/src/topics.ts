/** Kafka topic names. One place, so every service agrees; each can be overridden by environment. */
export const DEFAULT_TOPICS = {
  samples: 'surge.metrics.samples',
  decisions: 'surge.scale.decisions',
  actions: 'surge.scale.actions',
  queueEvents: 'surge.queue.events',
  deadLetter: 'surge.deadletter',
  control: 'surge.control.events',
} as const;

export type TopicKey = keyof typeof DEFAULT_TOPICS;
export type Topics = Record<TopicKey, string>;

const ENV_NAMES: Record<TopicKey, string> = {
  samples: 'SURGE_TOPIC_SAMPLES',
  decisions: 'SURGE_TOPIC_DECISIONS',
  actions: 'SURGE_TOPIC_ACTIONS',
  queueEvents: 'SURGE_TOPIC_QUEUE_EVENTS',
  deadLetter: 'SURGE_TOPIC_DEADLETTER',
  control: 'SURGE_TOPIC_CONTROL',
};

/** The topic names in force: the defaults, each overridable by its SURGE_TOPIC_* variable. */
export function resolveTopics(env: NodeJS.ProcessEnv = process.env): Topics {
  const topics = { ...DEFAULT_TOPICS } as Record<TopicKey, string>;
  for (const key of Object.keys(ENV_NAMES) as TopicKey[]) {
    const override = env[ENV_NAMES[key]];
    if (override) topics[key] = override;
  }
  return topics;
}

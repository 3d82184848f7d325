import { z } from 'zod';
import { envInt } from './env-primitives';
import { kafkaSecurityEnv } from './kafka-security-env';
import { topicEnv } from './topic-env';

export { envBoolean, envInt } from './env-primitives';

const csv = z
  .string()
  .min(1)
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/**
 * Under the broker's default `message.max.bytes` (1 MiB) with room for a record batch's framing, so a message of
 * this size still goes out alone in one request the broker takes.
 */
export const DEFAULT_KAFKA_MAX_MESSAGE_BYTES = 900_000;

export const kafkaEnv = {
  KAFKA_BROKERS: csv.describe('Comma-separated Kafka bootstrap servers, e.g. 127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().optional().describe('Kafka client id; defaults to the app name'),
  KAFKA_MAX_MESSAGE_BYTES: envInt(DEFAULT_KAFKA_MAX_MESSAGE_BYTES, 16 * 1024).describe(
    "Largest Kafka message value and largest produce request Surge sends; keep it at least 64 KiB below the broker's `message.max.bytes` (1 MiB by default). Larger sends are split into several requests; a single message above it is refused (ingest answers 413)",
  ),
  SURGE_TOPIC_PARTITIONS: envInt(6, 1, 1000).describe('Partitions for topics Surge creates at start-up'),
  SURGE_TOPIC_REPLICATION: envInt(1, 1, 10).describe('Replication factor for topics Surge creates at start-up'),
  ...topicEnv,
  ...kafkaSecurityEnv,
};

/** What the Kafka module needs of an app's config: the parsed `kafkaEnv` variables. */
export type KafkaConfig = z.output<z.ZodObject<typeof kafkaEnv>>;

export const redisEnv = {
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379').describe('Redis connection URL'),
};

export const databaseEnv = {
  DATABASE_URL: z.string().url().describe('PostgreSQL connection URL'),
};

export const adminEnv = {
  SURGE_ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .describe(
      'Bearer token for every admin and control endpoint, as the operator `admin`, when there is no operators file',
    ),
  SURGE_OPERATORS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'YAML file of named operators (name, role viewer|operator|admin, tokenHash sha256:<hex>); when set, only their tokens are accepted',
    ),
};

export const httpEnv = (defaultPort: number) => ({
  PORT: envInt(defaultPort, 0, 65535).describe('HTTP port'),
  HOST: z.string().default('0.0.0.0').describe('HTTP bind address'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info').describe('Log level'),
});

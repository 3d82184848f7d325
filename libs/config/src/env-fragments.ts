import { z } from 'zod';
import { envInt } from './env-primitives';
import { kafkaSecurityEnv } from './kafka-security-env';
import { GENERATE_SECRET_HINT, placeholderSecretReason, urlPassword } from './secret-strength';
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

/** A connection URL whose password, when it has one, is not the compose file's old default or a placeholder. */
export const connectionUrl = z
  .string()
  .url()
  .superRefine((url, ctx) => {
    const password = urlPassword(url);
    const reason = password === null ? null : placeholderSecretReason(password);
    if (reason) ctx.addIssue({ code: 'custom', message: `its password ${reason}` });
  });

export const redisEnv = {
  REDIS_URL: connectionUrl.default('redis://127.0.0.1:6379').describe('Redis connection URL'),
};

export const databaseEnv = {
  DATABASE_URL: connectionUrl.describe('PostgreSQL connection URL'),
};

// At least 16 characters, and neither a known default nor a placeholder: a deployment that still carries the
// example value would let in anyone who has read the same file.
const operatorToken = z
  .string()
  .min(16, `must be at least 16 characters; ${GENERATE_SECRET_HINT}`)
  .superRefine((value, ctx) => {
    const reason = placeholderSecretReason(value);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  });

/** A bearer token one machine presents to another (the local pool's admin API): always required. */
export const serviceTokenEnv = operatorToken;

export const adminEnv = {
  // Empty counts as unset: a compose file passes `${SURGE_ADMIN_TOKEN:-}` when the operators file is used instead.
  SURGE_ADMIN_TOKEN: z
    .preprocess((v) => (v === '' ? undefined : v), operatorToken.optional())
    .describe(
      'Bearer token for every admin and control endpoint, as the operator `admin`, when there is no operators file; required unless SURGE_OPERATORS_FILE is set',
    ),
  SURGE_OPERATORS_FILE: z
    .preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional())
    .describe(
      'YAML file of named operators (name, role viewer|operator|admin, tokenHash sha256:<hex>); when set, only their tokens are accepted',
    ),
};

/**
 * The cross-field rule of `adminEnv`, for the services whose admin API must open to someone: an app schema applies
 * it with `.superRefine(requireOperatorCredential)`.
 */
export function requireOperatorCredential(
  config: { SURGE_ADMIN_TOKEN?: string; SURGE_OPERATORS_FILE?: string },
  ctx: z.RefinementCtx,
): void {
  if (config.SURGE_ADMIN_TOKEN || config.SURGE_OPERATORS_FILE) return;
  ctx.addIssue({
    code: 'custom',
    path: ['SURGE_ADMIN_TOKEN'],
    message: `set SURGE_OPERATORS_FILE (named operators) or SURGE_ADMIN_TOKEN; ${GENERATE_SECRET_HINT}`,
  });
}

export const httpEnv = (defaultPort: number) => ({
  PORT: envInt(defaultPort, 0, 65535).describe('HTTP port'),
  HOST: z.string().default('0.0.0.0').describe('HTTP bind address'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info').describe('Log level'),
});

import { z } from 'zod';
import {
  adminEnv,
  ConfigurationError,
  envBoolean,
  envInt,
  httpEnv,
  kafkaEnv,
  loadConfig,
  redisEnv,
  requireOperatorCredential,
  signingEnv,
} from '@surge/config';
import { executorPipelineEnv } from '@surge/executor-framework';
import { loadRoomsFile } from '../rooms/rooms-file.loader';
import { loadKeyEncryptionKey } from '../tokens/key-sealing';
import { edgeEnv } from './edge-env';
import { tokenEnv } from './token-env';

export const virtualQueueConfigSchema = z.object({
  ...httpEnv(8090),
  ...redisEnv,
  ...adminEnv,
  ...kafkaEnv,
  KAFKA_BROKERS: z
    .preprocess((v) => (v === '' ? undefined : v), kafkaEnv.KAFKA_BROKERS.optional())
    .describe('Kafka bootstrap servers; unset or empty runs the queue without decisions or events'),
  ...signingEnv,
  ...edgeEnv,
  ...tokenEnv,
  VQ_KEY_PREFIX: z
    .string()
    .default('')
    .describe('Prefix of every Redis key, so several deployments can share one Redis'),
  VQ_JOIN_LIMIT_PER_IP: envInt(120, 1).describe(
    'Joins per client IP per room per window, shared by every instance through Redis',
  ),
  VQ_JOIN_LIMIT_WINDOW_SECONDS: envInt(60, 1, 3600).describe('Window of the per-IP join limit'),
  VQ_ADMIT_INTERVAL_MS: envInt(250, 10, 60_000).describe('How often each instance runs an admission round per room'),
  VQ_REPORT_INTERVAL_MS: envInt(5000, 100, 600_000).describe('Interval of admission events and queue_waiting samples'),
  VQ_RUN_ADMITTER: envBoolean(true).describe(
    'Whether this instance runs the admitter; several may, the scripts are atomic',
  ),
  VQ_ROOMS_FILE: z
    .preprocess((v) => (v === '' ? undefined : v), z.string().optional())
    .describe(
      "Rooms file (YAML): each room's base settings, applied at start to rooms missing from Redis and on a reload " +
        '(POST /v1/admin/rooms-file/reload or SIGHUP); admin changes and decisions apply on top',
    ),
  VQ_ROOMS_RESTORE_INTERVAL_MS: envInt(5000, 0, 3_600_000).describe(
    "How often the rooms file's rooms that Redis lost (a flush, a restart without persistence) are re-created by themselves; 0 leaves it to a reload",
  ),
  VQ_UNAVAILABLE_RETRY_AFTER_SECONDS: envInt(5, 1, 3600).describe(
    "Retry-After of the 503 a visitor gets while a configured room's state is gone from Redis",
  ),
  VQ_DECISION_GROUP: z.string().default('surge-virtual-queue').describe('Kafka consumer group for scale decisions'),
  // The decision pipeline is the executors' own, so it takes their settings, under their names. The targets file,
  // group and key prefix are not among them: the rooms are the targets, and VQ_DECISION_GROUP and VQ_KEY_PREFIX
  // name the rest.
  ...executorPipelineEnv,
});
/** VQ_KEY_ENCRYPTION_KEY_FILE is known to be set once loadVirtualQueueConfig returned. */
export type VirtualQueueConfig = z.output<typeof virtualQueueConfigSchema> & { VQ_KEY_ENCRYPTION_KEY_FILE: string };

export const VQ_CONFIG = Symbol('VQ_CONFIG');

/** The environment and the rooms file it names, both validated here at boot: a bad field stops the service. */
export function loadVirtualQueueConfig(env: NodeJS.ProcessEnv = process.env): VirtualQueueConfig {
  // The admin API must open to someone: the operators file or the admin token.
  const schema = virtualQueueConfigSchema.superRefine(requireOperatorCredential);
  const config = loadConfig('virtual-queue', schema, env) as VirtualQueueConfig;
  if (config.VQ_ROOMS_FILE) loadRoomsFile(config.VQ_ROOMS_FILE);
  if (!config.VQ_KEY_ENCRYPTION_KEY_FILE)
    throw new ConfigurationError(
      'VQ_KEY_ENCRYPTION_KEY_FILE is required: the signing keys are sealed with it in Redis, never stored in plain text',
    );
  loadKeyEncryptionKey(config.VQ_KEY_ENCRYPTION_KEY_FILE);
  if (config.SURGE_QUEUE_TRUSTED_PROXIES && config.SURGE_QUEUE_TRUSTED_HOPS)
    throw new ConfigurationError('set SURGE_QUEUE_TRUSTED_PROXIES or SURGE_QUEUE_TRUSTED_HOPS, not both');
  // A token signed just before a rotation must still find its key in the JWKS when it is presented.
  if (config.VQ_SIGNING_KEY_ROTATION_SECONDS <= config.VQ_TOKEN_TTL_SECONDS)
    throw new ConfigurationError('VQ_SIGNING_KEY_ROTATION_SECONDS must exceed VQ_TOKEN_TTL_SECONDS');
  return config;
}

import { z } from 'zod';
import { adminEnv, envBoolean, envInt, httpEnv, kafkaEnv, loadConfig, redisEnv } from '@surge/config';

export const virtualQueueConfigSchema = z.object({
  ...httpEnv(8090),
  ...redisEnv,
  ...adminEnv,
  ...kafkaEnv,
  KAFKA_BROKERS: z
    .preprocess((v) => (v === '' ? undefined : v), kafkaEnv.KAFKA_BROKERS.optional())
    .describe('Kafka bootstrap servers; unset or empty runs the queue without decisions or events'),
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
  VQ_DECISION_GROUP: z.string().default('surge-virtual-queue').describe('Kafka consumer group for scale decisions'),
});
export type VirtualQueueConfig = z.output<typeof virtualQueueConfigSchema>;

export const VQ_CONFIG = Symbol('VQ_CONFIG');

export function loadVirtualQueueConfig(env: NodeJS.ProcessEnv = process.env): VirtualQueueConfig {
  return loadConfig('virtual-queue', virtualQueueConfigSchema, env);
}

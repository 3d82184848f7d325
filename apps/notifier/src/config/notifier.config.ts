import { envInt, httpEnv, kafkaEnv, loadConfig, redisEnv } from '@surge/config';
import { z } from 'zod';

export const NOTIFIER_CONFIG = Symbol('NOTIFIER_CONFIG');

export const notifierEnv = z.object({
  ...kafkaEnv,
  ...redisEnv,
  ...httpEnv(8087),
  ALERTMANAGER_URL: z
    .string()
    .url()
    .describe('Base URL of the Alertmanager the notifier posts alerts to (its v2 API), e.g. http://alertmanager:9093'),
  SURGE_NOTIFIER_RESEND_SECONDS: envInt(60, 1, 3600).describe(
    'How often a firing alert is sent to Alertmanager again; each send holds it firing for four such intervals',
  ),
  SURGE_NOTIFIER_TIMEOUT_MS: envInt(5000, 100, 60_000).describe('Timeout of one request to Alertmanager'),
  SURGE_CONSOLE_URL: z
    .string()
    .url()
    .optional()
    .describe("The console's base URL; set, each alert links to its target's decisions there"),
  SURGE_NOTIFIER_GROUP_ID: z.string().min(1).default('surge-notifier').describe('Kafka consumer group of the notifier'),
  SURGE_NOTIFIER_REDIS_KEY: z
    .string()
    .min(1)
    .default('surge:notifier:firing')
    .describe('Redis hash of the alerts currently firing, by alertId, re-sent after a restart'),
});
export type NotifierConfig = z.output<typeof notifierEnv>;

export function loadNotifierConfig(env: NodeJS.ProcessEnv = process.env): NotifierConfig {
  return loadConfig('notifier', notifierEnv, env);
}

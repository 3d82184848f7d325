import { envInt, httpEnv, kafkaEnv, loadConfig, redisEnv } from '@surge/config';
import { z } from 'zod';

export const NOTIFIER_CONFIG = Symbol('NOTIFIER_CONFIG');

export const notifierEnv = z.object({
  ...kafkaEnv,
  ...redisEnv,
  ...httpEnv(8087),
  // Empty counts as unset, so a compose file or a test can switch the simple case off and use only the file.
  ALERTMANAGER_URL: z
    .preprocess((v) => (v === '' ? undefined : v), z.string().url().optional())
    .describe(
      'Base URL of the Alertmanager the notifier posts alerts to (its v2 API), e.g. http://alertmanager:9093; the simple case of one `alertmanager` receiver',
    ),
  SURGE_NOTIFIER_RECEIVERS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'YAML file of the receivers alerts are delivered to (alertmanager, slack, pagerduty, webhook), their matches and secret files; read once at boot',
    ),
  SURGE_NOTIFIER_RESEND_SECONDS: envInt(60, 1, 3600).describe(
    'How often a firing alert is sent to Alertmanager again; each send holds it firing for four such intervals',
  ),
  SURGE_NOTIFIER_TIMEOUT_MS: envInt(5000, 100, 60_000).describe('Timeout of one request to a receiver'),
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
    .describe(
      'Redis hash of the alerts currently firing, by alertId, re-sent after a restart; the delivered marks are keys named after it plus :delivered:',
    ),
});
export type NotifierConfig = z.output<typeof notifierEnv>;

export function loadNotifierConfig(env: NodeJS.ProcessEnv = process.env): NotifierConfig {
  return loadConfig('notifier', notifierEnv, env);
}

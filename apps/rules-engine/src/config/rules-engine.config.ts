import { adminEnv, envBoolean, httpEnv, kafkaEnv, loadConfig, redisEnv, signingEnv, tracingEnv } from '@surge/config';
import { z } from 'zod';

export const RULES_ENGINE_CONFIG = Symbol('RULES_ENGINE_CONFIG');

export const rulesEngineEnv = z.object({
  ...kafkaEnv,
  ...tracingEnv,
  ...signingEnv,
  ...redisEnv,
  ...httpEnv(8082),
  SURGE_POLICIES_DIR: z
    .string()
    .min(1)
    .default('examples/policies')
    .describe('Directory of ScalingPolicy YAML files, reloaded on change'),
  SURGE_TARGETS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The executors' targets file, read at boot for its cost models: a plan step's estimated cost for approval.above.cost. Without it, such a step asks for approval",
    ),
  SURGE_RULES_GROUP_ID: z
    .string()
    .min(1)
    .default('surge-rules-engine')
    .describe('Kafka consumer group of the rules engine'),
  SURGE_RULES_REDIS_PREFIX: z
    .string()
    .min(1)
    .default('surge:rules:')
    .describe('Prefix of every Redis key the engine writes'),
  SURGE_RULES_PLAN_CLAIM_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(24 * 3600)
    .default(900)
    .describe(
      "How long a plan's hold on another target's setting lasts unless its run's target commits again (each commit refreshes it): a hold whose owner stopped writing (crashed, removed) is ignored and pruned after this. Keep it well above the longest gap between a plan target's evaluations",
    ),
  SURGE_RULES_MAX_FUTURE_SKEW_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(30)
    .describe(
      "Samples stamped more than this ahead of the engine's clock are refused (counted as unused, reason future), so one future stamp cannot hold back a metric's genuine samples",
    ),
  SURGE_RULES_GLOBAL_PAUSE: envBoolean(false).describe('Start with every policy paused (decisions are not emitted)'),
  SURGE_PAUSE_ALERT_AFTER: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(1800)
    .describe(
      'Seconds an operator pause (global or of a policy) may last before a SurgePaused warning fires on the alerts topic; resolved when the pause ends',
    ),
  // The same operators as the console's: a viewer reads the status. With neither set, that API refuses every request.
  SURGE_ADMIN_TOKEN: adminEnv.SURGE_ADMIN_TOKEN.describe(
    'Bearer token of the read API (/status, /policies), as the operator `admin`, when there is no operators file; with neither, that API refuses every request',
  ),
  SURGE_OPERATORS_FILE: adminEnv.SURGE_OPERATORS_FILE,
});
export type RulesEngineConfig = z.output<typeof rulesEngineEnv>;

export function loadRulesEngineConfig(env: NodeJS.ProcessEnv = process.env): RulesEngineConfig {
  return loadConfig('rules-engine', rulesEngineEnv, env);
}

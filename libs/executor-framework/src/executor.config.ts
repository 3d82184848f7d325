import { envBoolean, envInt, httpEnv, kafkaEnv, loadConfig, redisEnv, signingEnv, tracingEnv } from '@surge/config';
import type { TargetCatalog } from '@surge/executor-core';
import { z } from 'zod';
import { type ConnectionVariables, connectionVariablesOf, loadTargetsFile } from './targets-file.loader';

/**
 * The decision pipeline's settings: every executor app reads them, and so does the waiting room, which hosts the
 * same pipeline in-process under the same names.
 */
export const executorPipelineEnv = {
  SURGE_EXECUTOR_PAUSED: envBoolean(false).describe('Start paused: every decision is reported rejected'),
  SURGE_EXECUTOR_DRY_RUN: envBoolean(false).describe('Report every decision as a dry run, never apply'),
  SURGE_DECISION_MAX_AGE_MS: envInt(300_000, 1).describe(
    'Decisions published longer ago than this (Kafka record timestamp) are reported stale',
  ),
  SURGE_IDEMPOTENCE_TTL_MS: envInt(86_400_000, 1000).describe('How long applied decision ids are remembered'),
  SURGE_EXECUTOR_RETRIES: envInt(3, 0, 20).describe(
    'Retries of a failing target before a failed result; a back end still unavailable after them holds the decision and its partition instead',
  ),
  SURGE_EXECUTOR_RETRY_BASE_MS: envInt(100, 1).describe('First retry delay; doubles each retry'),
  SURGE_EXECUTOR_RETRY_MAX_MS: envInt(1000, 1).describe('Cap of one retry delay'),
  SURGE_EXECUTOR_ATTEMPT_TIMEOUT_MS: envInt(2000, 10).describe('Bound on one call to a target API'),
  SURGE_VERIFY_TIMEOUT_MS: envInt(5000, 0).describe('How long to read back a change before reporting it not verified'),
  SURGE_VERIFY_INTERVAL_MS: envInt(100, 1).describe('Delay between read-backs'),
  SURGE_OBSERVE_INTERVAL_MS: envInt(10_000, 0).describe(
    'Period of observation: settings on the observed-state topic, workload gauges as samples; 0 turns it off',
  ),
};

export type ExecutorPipelineConfig = z.output<z.ZodObject<typeof executorPipelineEnv>>;

/** The environment every executor app reads, validated once at boot. */
export function executorEnvSchema(defaultPort: number) {
  return z.object({
    ...kafkaEnv,
    ...tracingEnv,
    ...signingEnv,
    ...redisEnv,
    ...httpEnv(defaultPort),
    SURGE_TARGETS_FILE: z
      .string()
      .min(1)
      .describe('Path of the targets file (YAML or JSON): ids, connections, bounds, allowlist'),
    SURGE_EXECUTOR_GROUP: z.string().optional().describe('Consumer group for decisions; defaults to surge-<app>'),
    SURGE_EXECUTOR_KEY_PREFIX: z
      .string()
      .optional()
      .describe('Redis key prefix for idempotence and baselines; defaults to surge:<app>'),
    ...executorPipelineEnv,
  });
}

export type ExecutorConfig = z.output<ReturnType<typeof executorEnvSchema>>;

export function loadExecutorConfig(
  appName: string,
  defaultPort: number,
  env: NodeJS.ProcessEnv = process.env,
): ExecutorConfig {
  return loadConfig(appName, executorEnvSchema(defaultPort), env);
}

export interface ExecutorTargets {
  catalog: TargetCatalog;
  /** The connection variables the targets file names, captured now: a target's connection never reads the environment. */
  connections: ConnectionVariables;
}

/** The targets file the config names, read and checked at boot; a connection variable that is not set stops the boot. */
export function loadExecutorTargets(
  config: Pick<ExecutorConfig, 'SURGE_TARGETS_FILE'>,
  env: NodeJS.ProcessEnv = process.env,
): ExecutorTargets {
  const catalog = loadTargetsFile(config.SURGE_TARGETS_FILE);
  return { catalog, connections: connectionVariablesOf(catalog, env) };
}

import type { ApplyTimings } from './apply-runner';
import type { ExecutorPipelineConfig } from './executor.config';
import { GuardrailSwitch } from './guardrail.switch';

/** The runtime's settings that come straight from the pipeline's config (`executorPipelineEnv`). */
export interface PipelineSettings {
  idempotenceTtlMs: number;
  maxAgeMs: number;
  timings: ApplyTimings;
  /** 0 turns observed-state publishing off. */
  observeIntervalMs: number;
}

/** One reading of the pipeline's config, for every host of the runtime: the executor apps and the waiting room. */
export function pipelineSettingsFrom(config: ExecutorPipelineConfig): PipelineSettings {
  return {
    idempotenceTtlMs: config.SURGE_IDEMPOTENCE_TTL_MS,
    maxAgeMs: config.SURGE_DECISION_MAX_AGE_MS,
    timings: {
      retry: {
        retries: config.SURGE_EXECUTOR_RETRIES,
        baseDelayMs: config.SURGE_EXECUTOR_RETRY_BASE_MS,
        maxDelayMs: config.SURGE_EXECUTOR_RETRY_MAX_MS,
      },
      attemptTimeoutMs: config.SURGE_EXECUTOR_ATTEMPT_TIMEOUT_MS,
      verifyTimeoutMs: config.SURGE_VERIFY_TIMEOUT_MS,
      verifyIntervalMs: config.SURGE_VERIFY_INTERVAL_MS,
    },
    observeIntervalMs: config.SURGE_OBSERVE_INTERVAL_MS,
  };
}

/** The switch as the config starts it; control events flip it afterwards. */
export function guardrailsFrom(config: ExecutorPipelineConfig): GuardrailSwitch {
  return new GuardrailSwitch({ paused: config.SURGE_EXECUTOR_PAUSED, dryRun: config.SURGE_EXECUTOR_DRY_RUN });
}

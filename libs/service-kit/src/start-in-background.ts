import { Logger } from '@nestjs/common';
import type { HealthRegistry } from './health.registry';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;
const STOP_GRACE_MS = 5_000;

export interface BackgroundStart {
  /** Resolves once the work succeeded, or once stop() was called. Never rejects. */
  readonly done: Promise<void>;
  readonly started: () => boolean;
  /**
   * Ends the attempts. The attempt under way is given a few seconds to finish: it may itself be waiting for a
   * dependency that only the shutdown of another module releases, and shutdown must not hang on it.
   */
  stop(): Promise<void>;
}

/**
 * Runs a service's start (connect, migrate, join the consumer groups) without holding up its HTTP server, and
 * tries again with capped backoff until it succeeds: a dependency that is slow or down at boot is waited for,
 * with /health/ready naming the check as failing meanwhile, instead of ending the process. Only a fatal
 * configuration error, found before this runs, stops a service. `work` must leave nothing half-started when it
 * throws, since it is called again.
 */
export function startInBackground(
  name: string,
  health: HealthRegistry,
  work: () => Promise<void>,
  logger: Logger = new Logger(`start ${name}`),
): BackgroundStart {
  let started = false;
  let stopped = false;
  let lastError = 'starting';
  let wake: (() => void) | null = null;
  health.register(name, () => {
    if (!started) throw new Error(lastError);
  });
  const done = (async () => {
    for (let attempt = 1; !stopped; attempt += 1) {
      try {
        await work();
        started = true;
        if (attempt > 1) logger.log(`${name} started after ${attempt} attempts`);
        return;
      } catch (error) {
        if (stopped) return;
        const delay = Math.min(FIRST_DELAY_MS * 2 ** Math.min(attempt - 1, 10), MAX_DELAY_MS);
        lastError = `not started (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`;
        logger.warn(`${lastError}; trying again in ${delay} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, delay).unref();
        });
      }
    }
  })();
  return {
    done,
    started: () => started,
    stop: async () => {
      stopped = true;
      wake?.();
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
    },
  };
}

import { isConfigurationError } from './configuration-error';

/**
 * The exit code of a service that stops at boot because its configuration is invalid (sysexits' EX_CONFIG).
 * A supervisor must not restart on it: the same environment fails the same way, so a restart loop only hides the
 * message. Every other failed exit is 1 and may be transient (a broker not up yet).
 */
export const CONFIG_ERROR_EXIT_CODE = 78;

/** The exit code for an error that ends a service's boot: CONFIG_ERROR_EXIT_CODE for invalid configuration, else 1. */
export function bootFailureExitCode(error: unknown): number {
  return isConfigurationError(error) ? CONFIG_ERROR_EXIT_CODE : 1;
}

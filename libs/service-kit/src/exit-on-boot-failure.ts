import { bootFailureExitCode } from '@surge/config';

/**
 * The end of every service's main() when boot fails: one line on stderr, then the exit code that tells a supervisor
 * whether a restart can help (CONFIG_ERROR_EXIT_CODE for invalid configuration: it cannot).
 */
export function exitOnBootFailure(error: unknown, format: (error: unknown) => string = describeBootFailure): never {
  process.stderr.write(`${format(error)}\n`);
  process.exit(bootFailureExitCode(error));
}

function describeBootFailure(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

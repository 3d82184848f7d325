import { Option } from 'commander';

/** The rules engine's URL: --engine, else SURGE_ENGINE_URL, else the engine's default port on this machine. */
export function engineOption(): Option {
  return new Option('--engine <url>', 'the rules engine (its admin token from SURGE_ADMIN_TOKEN)')
    .env('SURGE_ENGINE_URL')
    .default('http://127.0.0.1:8082');
}

/**
 * Sets the exit code of an asynchronous command: its own, or 2 when it failed (the engine unreachable, a refused
 * token, an answer off contract), as `diff` uses 2 for trouble.
 */
export function exitWith(command: Promise<number>): void {
  command.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`surgectl: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

import { z } from 'zod';
import { ConfigurationError } from './configuration-error';

/** The environment does not match the app's schema: every bad variable is among `problems`. */
export class ConfigError extends ConfigurationError {
  constructor(
    readonly appName: string,
    readonly problems: string[],
  ) {
    super(`Invalid environment variables for ${appName}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once, at boot, against the app's schema. Every bad variable is named with
 * what was expected, so a misconfigured deployment fails fast instead of at the first request.
 */
export function loadConfig<S extends z.ZodObject>(
  appName: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(environment)';
    const received = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
    return `${name}: ${issue.message}${received === undefined ? ' (unset)' : ''}`;
  });
  throw new ConfigError(appName, problems);
}

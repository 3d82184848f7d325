/** Shared by every copy of this module a bundle may hold, unlike the class itself. */
const CONFIGURATION_ERROR: unique symbol = Symbol.for('surge.configuration-error');

/**
 * The operator's configuration cannot work: an environment variable, or a file it names (targets, rooms, tokens,
 * keys, certificates) that is missing, unreadable or invalid. The same configuration fails the same way, so a
 * service that meets one at boot exits with CONFIG_ERROR_EXIT_CODE and is not restarted. Subclasses name the file.
 */
export class ConfigurationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

// On the prototype, not each instance: logs that print an error's own properties stay as they were.
Object.defineProperty(ConfigurationError.prototype, CONFIGURATION_ERROR, { value: true });

/** A configuration error, or an error caused by one (by class, by the shared mark, or, for older copies, by name). */
export function isConfigurationError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    if (current instanceof ConfigurationError || CONFIGURATION_ERROR in current || current.name === 'ConfigError')
      return true;
    current = current.cause;
  }
  return false;
}

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bootFailureExitCode, CONFIG_ERROR_EXIT_CODE } from './config-exit-code';
import { ConfigurationError, isConfigurationError } from './configuration-error';
import { loadConfig } from './load-config';

describe('bootFailureExitCode', () => {
  it('gives invalid configuration its own exit code', () => {
    const failure = (() => {
      try {
        loadConfig('app', z.object({ PORT: z.coerce.number().int() }), { PORT: 'eighty' });
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(Error);
    expect(bootFailureExitCode(failure)).toBe(CONFIG_ERROR_EXIT_CODE);
    expect(CONFIG_ERROR_EXIT_CODE).not.toBe(1);
  });

  it('knows a configuration error from another copy of the class by its name', () => {
    const copy = Object.assign(new Error('Invalid environment variables for app'), { name: 'ConfigError' });
    expect(bootFailureExitCode(copy)).toBe(CONFIG_ERROR_EXIT_CODE);
  });

  it('exits 1 on any other boot failure, which a restart may cure', () => {
    expect(bootFailureExitCode(new Error('connect ECONNREFUSED 127.0.0.1:9092'))).toBe(1);
    expect(bootFailureExitCode('not even an error')).toBe(1);
  });
});

describe('configuration errors beyond the environment', () => {
  class RoomsFileError extends ConfigurationError {
    override readonly name = 'RoomsFileError';
  }

  it('gives a bad configuration file the configuration exit code, subclasses included', () => {
    expect(bootFailureExitCode(new ConfigurationError('SURGE_CONSOLE_DIR /x holds no index.html'))).toBe(78);
    expect(bootFailureExitCode(new RoomsFileError('Invalid rooms file /x'))).toBe(CONFIG_ERROR_EXIT_CODE);
  });

  it('knows one wrapped as the cause of another error', () => {
    const wrapped = new Error('module init failed', { cause: new RoomsFileError('Cannot read rooms file /x') });
    expect(isConfigurationError(wrapped)).toBe(true);
    expect(bootFailureExitCode(new Error('boot failed', { cause: new Error('ECONNREFUSED') }))).toBe(1);
  });

  it('knows one from another copy of the class by its shared mark', () => {
    const copy = Object.defineProperty(new Error('Invalid rooms file /x'), Symbol.for('surge.configuration-error'), {
      value: true,
    });
    expect(bootFailureExitCode(copy)).toBe(CONFIG_ERROR_EXIT_CODE);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bootFailureExitCode, CONFIG_ERROR_EXIT_CODE } from './config-exit-code';
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

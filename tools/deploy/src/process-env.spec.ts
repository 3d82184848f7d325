import { describe, expect, it } from 'vitest';
import { processEnvReads, processEnvReadsInRepo, productionSources } from './process-env.check';

describe('no service code reads process.env except through its config loader', () => {
  it('finds the production sources to check', () => {
    expect(productionSources().length).toBeGreaterThan(100);
  });

  it('holds for every production file of apps/ and libs/', () => {
    expect(processEnvReadsInRepo()).toEqual([]);
  });

  it.each([
    ['a provider reading a topic', 'libs/x/src/x.provider.ts', 'const t = resolveTopics(process.env);', 1],
    ['a default parameter outside a loader', 'libs/x/src/x.loader.ts', 'function f(env = process.env) {}', 1],
    ['an index access', 'apps/x/src/x.service.ts', "const url = process['env'].URL;", 1],
    ['a destructuring', 'apps/x/src/x.service.ts', 'const { env } = process;', 1],
    [
      'a config loader default',
      'apps/x/src/config/x.config.ts',
      'export function loadX(env: NodeJS.ProcessEnv = process.env) {',
      0,
    ],
    ['a config file reading a variable directly', 'apps/x/src/config/x.config.ts', 'const port = process.env.PORT;', 1],
    ['libs/config', 'libs/config/src/load-config.ts', '  env: NodeJS.ProcessEnv = process.env,', 0],
    ['an entry point handing it on', 'apps/x/src/main.ts', 'await start(config, process.env);', 0],
    ['a spec', 'apps/x/src/x.int-spec.ts', "process.env['X'] = '1';", 0],
    ['a test helper', 'apps/x/src/testing/test-app.ts', 'const url = process.env.REDIS_URL;', 0],
    ['the harness', 'libs/harness/src/java.ts', 'process.env.JAVA_HOME', 0],
  ])('%s', (_name, file, line, reads) => {
    expect(processEnvReads(file, line)).toHaveLength(reads);
  });
});

import { loadConfig, serviceTokenEnv } from '@surge/config';
import { ExecutorRegistry, runExecutorApp } from '@surge/executor-framework';
import { exitOnBootFailure } from '@surge/service-kit';
import { z } from 'zod';
import { LocalPoolAdapter } from './local-pool.adapter';

function adminToken(): string {
  try {
    // The pool's admin API takes the same admin token as every Surge control endpoint.
    return loadConfig('executor-localpool', z.object({ SURGE_ADMIN_TOKEN: serviceTokenEnv })).SURGE_ADMIN_TOKEN;
  } catch (error) {
    return exitOnBootFailure(error);
  }
}

const SURGE_ADMIN_TOKEN = adminToken();
runExecutorApp('executor-localpool', 8086, () =>
  new ExecutorRegistry().register(new LocalPoolAdapter(SURGE_ADMIN_TOKEN)),
).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

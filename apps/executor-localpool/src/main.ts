import { adminEnv, loadConfig } from '@surge/config';
import { ExecutorRegistry, runExecutorApp } from '@surge/executor-framework';
import { z } from 'zod';
import { LocalPoolAdapter } from './local-pool.adapter';

// The pool's admin API takes the same admin token as every Surge control endpoint.
const { SURGE_ADMIN_TOKEN } = loadConfig('executor-localpool', z.object(adminEnv));

void runExecutorApp('executor-localpool', 8086, () =>
  new ExecutorRegistry().register(new LocalPoolAdapter(SURGE_ADMIN_TOKEN)),
);

import { ExecutorRegistry, runExecutorApp } from '@surge/executor-framework';
import { RedisCacheAdapter } from './redis-cache.adapter';

runExecutorApp('executor-cache', 8085, () => new ExecutorRegistry().register(new RedisCacheAdapter())).catch(
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

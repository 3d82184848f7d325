import { ExecutorRegistry, runExecutorApp } from '@surge/executor-framework';
import { RedisCacheAdapter } from './redis-cache.adapter';

void runExecutorApp('executor-cache', 8085, () => new ExecutorRegistry().register(new RedisCacheAdapter()));

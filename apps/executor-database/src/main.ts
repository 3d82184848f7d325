import { ExecutorRegistry, runExecutorApp } from '@surge/executor-framework';
import { PgBouncerPoolAdapter } from './pgbouncer-pool.adapter';
import { PostgresDatabaseAdapter } from './postgres-database.adapter';

void runExecutorApp('executor-database', 8084, () =>
  new ExecutorRegistry().register(new PgBouncerPoolAdapter()).register(new PostgresDatabaseAdapter()),
);

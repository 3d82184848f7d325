import { ExecutorRegistry, runExecutorApp } from '@surge/executor-framework';
import { PgBouncerPoolAdapter } from './pgbouncer-pool.adapter';
import { PostgresDatabaseAdapter } from './postgres-database.adapter';

runExecutorApp('executor-database', 8084, () =>
  new ExecutorRegistry().register(new PgBouncerPoolAdapter()).register(new PostgresDatabaseAdapter()),
).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

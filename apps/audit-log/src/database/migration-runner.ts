import path from 'node:path';
import { runner } from 'node-pg-migrate';

export interface MigrationOptions {
  databaseUrl: string;
  schema: string;
  log?: (message: string) => void;
}

/**
 * Applies the pending migrations of the audit schema. node-pg-migrate takes an advisory lock, so two
 * instances starting together apply each migration once; a second run finds nothing to do.
 * The migrations sit beside this file, as .ts under the test runner and as .js once built.
 */
export async function runMigrations(options: MigrationOptions): Promise<string[]> {
  const applied = await runner({
    databaseUrl: options.databaseUrl,
    dir: path.join(__dirname, 'migrations'),
    direction: 'up',
    migrationsTable: 'pgmigrations',
    schema: options.schema,
    migrationsSchema: options.schema,
    createSchema: true,
    createMigrationsSchema: true,
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    ignorePattern: '.*\\.(map|d\\.ts)$',
    log: options.log ?? (() => undefined),
  });
  return applied.map((migration) => migration.name);
}

import { z } from 'zod';
import { databaseEnv, loadConfig } from '@surge/config';
import { runMigrations } from './database/migration-runner';

/** `node dist/apps/audit-log/src/migrate.js`: applies the audit schema's pending migrations and exits. */
async function main(): Promise<void> {
  const config = loadConfig(
    'audit-log migrate',
    z.object({
      ...databaseEnv,
      SURGE_AUDIT_SCHEMA: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/)
        .default('surge_audit'),
    }),
  );
  const applied = await runMigrations({
    databaseUrl: config.DATABASE_URL,
    schema: config.SURGE_AUDIT_SCHEMA,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(`${JSON.stringify({ schema: config.SURGE_AUDIT_SCHEMA, applied })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

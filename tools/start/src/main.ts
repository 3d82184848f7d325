import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SERVICES } from './service-catalog';
import { bringUpInfrastructure } from './infrastructure';
import { type RunningService, startService, stopService } from './service-process';
import { urlTable } from './url-table';

/**
 * `npm start`: the whole of Surge on one machine. It brings up the infrastructure (Kafka, Redis, PostgreSQL,
 * PgBouncer), starts every service as its own process, prints one table of URLs, and on Ctrl-C stops everything
 * it started in reverse order, each service flushing and committing before it exits.
 */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../../..');
  const infra = bringUpInfrastructure(root);
  const adminToken = process.env['SURGE_ADMIN_TOKEN'] ?? randomBytes(24).toString('base64url');
  const generatedToken = !process.env['SURGE_ADMIN_TOKEN'];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...infra.env,
    SURGE_ADMIN_TOKEN: adminToken,
    SURGE_POLICIES_DIR: process.env['SURGE_POLICIES_DIR'] ?? path.join(root, 'examples/demo/policies'),
    SURGE_TARGETS_FILE: process.env['SURGE_TARGETS_FILE'] ?? path.join(root, 'examples/demo/targets.yaml'),
  };
  const portOffset = Number(process.env['SURGE_PORT_OFFSET'] ?? 0);
  const running: RunningService[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nsurge: stopping services in reverse order…\n');
    for (const service of [...running].reverse()) await stopService(service);
    infra.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const rows = [];
  try {
    for (const spec of SERVICES) {
      if (!existsSync(path.join(root, spec.entry))) {
        process.stdout.write(`surge: ${spec.name} is not part of this build yet; skipped\n`);
        continue;
      }
      const service = await startService(root, spec.name, spec.entry, spec.defaultPort + portOffset, env);
      running.push(service);
      rows.push({ spec, url: service.url });
    }
  } catch (error) {
    process.stderr.write(`surge: ${(error as Error).message}\n`);
    await shutdown(1);
    return;
  }
  const extra: [string, string][] = [
    ['kafka', String(infra.env['KAFKA_BROKERS'])],
    ['redis', String(infra.env['REDIS_URL'])],
    ['postgres', String(infra.env['DATABASE_URL'])],
    ['pgbouncer', String(infra.env['PGBOUNCER_URL'])],
    ['logs', path.join(root, '.surge/logs')],
  ];
  process.stdout.write(`\nSurge is running.\n\n${urlTable(rows, extra)}\n\n`);
  process.stdout.write(generatedToken ? `Admin token (generated for this run): ${adminToken}\n` : 'Admin token: from SURGE_ADMIN_TOKEN\n');
  process.stdout.write('Press Ctrl-C to stop everything.\n');
}

main().catch((error) => {
  process.stderr.write(`surge: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  queueKeyEncryptionFile,
  SERVICES,
  ServiceSupervisor,
  startPrivateRedis,
  startService,
  writeEnvFile,
} from '@surge/harness';
import { demoEnvironment } from './demo-environment';
import { startRoomRedis } from './room-redis';
import { bringUpInfrastructure } from './infrastructure';
import { generateIngestCredentials } from './ingest-credentials';
import { portOf, portPlan } from './port-plan';
import { generateRunSigningKeys } from './signing-keys';
import { urlTable } from './url-table';

/**
 * `npm start`: the whole of Surge on one machine. It brings up the infrastructure (Kafka, Redis, PostgreSQL,
 * PgBouncer, Alertmanager), starts every service as its own process, prints one table of URLs, and on Ctrl-C stops everything
 * it started in reverse order, each service flushing and committing before it exits. A service that exits while
 * it runs is restarted with backoff, unless its configuration is invalid (see ServiceSupervisor).
 * `npm start -- --demo` also plays the flash-sale load once everything is ready. SURGE_START_FREE_PORTS=true runs
 * every service on a free port instead of the well-known ones (the URL table and the "ready at" lines say which).
 */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../../..');
  const withDemo = process.argv.includes('--demo') || process.env['SURGE_START_DEMO'] === '1';
  const freePorts = process.env['SURGE_START_FREE_PORTS'] === 'true';
  const ports = await portPlan(freePorts);
  const runDir = path.join(root, '.surge', `run-${process.pid}`);
  const infra = bringUpInfrastructure(root);
  const cacheRedis = await startPrivateRedis();
  const roomRedis = await startRoomRedis(root, freePorts ? runDir : undefined);
  // Kept beside the room Redis's append-only file, as long as it is: the keys sealed in it must open next run too.
  const queueKeyFile = queueKeyEncryptionFile(freePorts ? runDir : path.join(root, '.surge'));
  const adminToken = process.env['SURGE_ADMIN_TOKEN'] ?? randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...demoEnvironment(root, ports, cacheRedis.url),
    ...process.env,
    ...infra.env,
    SURGE_ADMIN_TOKEN: adminToken,
    // The shop's admin API token, which executor-http reads as its demo/shop-admin target's connection.
    SURGE_SHOP_ADMIN_TOKEN: process.env['SURGE_SHOP_ADMIN_TOKEN'] ?? randomBytes(24).toString('base64url'),
  };

  // Authenticated ingest, as in production: the one reporter of the demo (the LocalPool supervisor, which posts
  // the shop's figures) gets its own token, allowed its own target only. Nothing else of the demo POSTs samples:
  // executors report observed state on their own Kafka topic.
  const ingestCredentials = generateIngestCredentials(runDir, [
    { service: 'local-pool', targets: [String(env['SURGE_SHOP_TARGET'] ?? 'demo/shop')] },
  ]);

  // Signed steering messages, as in production: fresh keys per role for this run.
  const signingKeys = generateRunSigningKeys(runDir, `run-${process.pid}`);

  // `npm run demo:surge` in another terminal finds this run's token and URLs here; removed on stop.
  const sessionFile = path.join(root, '.surge', 'start.env');
  writeEnvFile(
    {
      SURGE_ADMIN_TOKEN: adminToken,
      SURGE_SHOP_URL: String(env['SURGE_SHOP_URL']),
      SURGE_QUEUE_URL: String(env['SURGE_QUEUE_URL']),
    },
    sessionFile,
    true,
  );
  // Each service runs under a supervisor: one that exits (a crash, a kill -9) is started again with backoff.
  const running: ServiceSupervisor[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nsurge: stopping services in reverse order…\n');
    for (const supervisor of running) supervisor.holdRestarts();
    for (const supervisor of [...running].reverse()) await supervisor.stop();
    rmSync(sessionFile, { force: true });
    rmSync(runDir, { recursive: true, force: true });
    await cacheRedis.stop();
    await roomRedis.stop();
    infra.stop();
    process.exit(code);
  };
  const onSignal = () =>
    void shutdown(0).catch((error: unknown) => {
      process.stderr.write(`surge: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const rows = [];
  const shopUrl = `http://127.0.0.1:${ports.shop}`;
  try {
    for (const spec of servicesToStart(process.env['SURGE_START_SERVICES'])) {
      if (!existsSync(path.join(root, spec.entry)))
        throw new Error(`${spec.entry} is missing: the build did not produce ${spec.name}`);
      const serviceEnv = {
        ...env,
        ...ingestCredentials.envFor(spec.name),
        ...signingKeys.envFor(spec),
        ...(spec.name === 'virtual-queue'
          ? { REDIS_URL: roomRedis.url, VQ_KEY_ENCRYPTION_KEY_FILE: queueKeyFile }
          : {}),
      };
      const port = portOf(ports, spec.name);
      const supervisor = new ServiceSupervisor(spec.name, () =>
        startService(root, spec.name, spec.entry, port, serviceEnv),
      );
      const service = await supervisor.start();
      running.push(supervisor);
      rows.push({ spec, url: service.url, shopUrl });
      process.stdout.write(`surge: ${spec.name} ready at ${service.url}\n`);
    }
  } catch (error) {
    process.stderr.write(`surge: ${(error as Error).message}\n`);
    await shutdown(1);
    return;
  }
  const extra: [string, string][] = [
    ['kafka', String(env['KAFKA_BROKERS'])],
    ['redis', String(env['REDIS_URL'])],
    ['postgres', String(env['DATABASE_URL'])],
    ['pgbouncer', String(env['PGBOUNCER_URL'])],
    ['alertmanager', String(env['ALERTMANAGER_URL'])],
    ['waiting room redis (AOF)', roomRedis.url],
    ['demo cache redis', cacheRedis.url],
    ['logs', path.join(root, '.surge/logs')],
  ];
  process.stdout.write(`\nSurge is running.\n\n${urlTable(rows, extra)}\n\n`);
  process.stdout.write(
    process.env['SURGE_ADMIN_TOKEN']
      ? 'Admin token: from SURGE_ADMIN_TOKEN\n'
      : `Admin token (generated for this run): ${adminToken}\n`,
  );
  process.stdout.write(
    `Ingest credentials (generated for this run): ${ingestCredentials.tokensFile}; each reporter has its own token\n`,
  );
  process.stdout.write(
    `Signing keys (generated for this run, one per role): ${signingKeys.dir}; decisions, observed state and control events are signed\n`,
  );
  if (withDemo) {
    process.stdout.write('Playing the flash-sale demo now; watch the console.\n');
    const demo = spawn(process.execPath, [path.join(root, 'dist/tools/demo/src/surge.js')], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    demo.on('exit', (code) =>
      process.stdout.write(
        `surge: the demo surge ended (${code === 0 ? 'ok' : `exit ${code}`}); services keep running.\n`,
      ),
    );
  } else {
    process.stdout.write(
      'Play a flash sale with `npm run demo:surge` in another terminal (or start with `npm start -- --demo`).\n',
    );
  }
  process.stdout.write('Press Ctrl-C to stop everything.\n');
}

/**
 * SURGE_START_SERVICES=audit-log,rules-engine,… starts only those (a test that needs part of the pipeline, on a
 * small machine); unset, all. A name that is no service stops the start rather than run less than asked.
 */
function servicesToStart(only: string | undefined): typeof SERVICES {
  if (!only) return SERVICES;
  const names = only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !SERVICES.some((spec) => spec.name === name));
  if (unknown.length)
    throw new Error(
      `SURGE_START_SERVICES names no service ${unknown.join(', ')} (${SERVICES.map((s) => s.name).join(', ')})`,
    );
  return SERVICES.filter((spec) => names.includes(spec.name));
}

main().catch((error) => {
  process.stderr.write(`surge: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import path from 'node:path';
import { envFilePath, readEnvFile, writeEnvFile } from './env-file';
import { withFileLock } from './file-lock';
import { readInfraState, writeInfraState } from './infra-state';
import { resolveServices } from './resolve-services';
import { surgeDir } from './repo-root';
import { type ServiceEnv, type StartedService } from './service-record';
import { isStartedAlive, stopStarted } from './stop-started';

export interface InfraUpResult {
  env: ServiceEnv;
  sources: Record<keyof ServiceEnv, string>;
  /** Started by this call (a caller such as the vitest setup may stop exactly these). */
  started: StartedService[];
}

const LOCK_TIMEOUT_MS = 5 * 60_000;

function lockFile(): string {
  return path.join(surgeDir(), 'infra.lock');
}

/**
 * Starts what is missing, waits for every service, writes .env.local and records what it started in
 * .surge/infra-state.json. Idempotent: services in .env.local that still answer are reused.
 */
export async function infraUp(
  log: (line: string) => void = () => undefined,
  byTestRun = false,
): Promise<InfraUpResult> {
  return withFileLock(lockFile(), LOCK_TIMEOUT_MS, async () => {
    const resolved = await resolveServices(log);
    if (byTestRun) resolved.started.forEach((record) => (record.startedByTestRun = true));
    const previous = readInfraState();
    // Every earlier start still running stays recorded, even when this run used another address (env vars): another
    // test run may still be using it, and `infra:down` must be able to stop it.
    const kept = previous.started.filter(isStartedAlive);
    // infra:up (npm start, CI) adopts what a test run left: no later test run's teardown may stop it under them.
    if (!byTestRun) kept.forEach((record) => delete record.startedByTestRun);
    writeInfraState({ started: [...kept, ...resolved.started], pgbouncerTarget: resolved.env.DATABASE_URL });
    // Addresses given by env vars belong to whoever set them: .env.local keeps naming what the harness manages.
    writeEnvFile(
      Object.fromEntries(
        Object.entries(resolved.env).filter(([key]) => resolved.sources[key as keyof ServiceEnv] !== 'env'),
      ),
    );
    return resolved;
  });
}

/** Stops what the harness recorded as started (all of it, or those `matches` picks), and forgets those addresses. */
export async function infraDown(matches: (record: StartedService) => boolean = () => true): Promise<StartedService[]> {
  return withFileLock(lockFile(), LOCK_TIMEOUT_MS, async () => {
    const state = readInfraState();
    const stopping = state.started.filter(matches);
    // PgBouncer first: it holds server connections to the PostgreSQL it fronts.
    const order = ['pgbouncer', 'alertmanager', 'kafka', 'redis', 'postgres'];
    for (const service of order) await Promise.all(stopping.filter((r) => r.service === service).map(stopStarted));
    writeInfraState({ ...state, started: state.started.filter((record) => !matches(record)) });
    if (stopping.length > 0) forgetAddresses(stopping);
    return stopping;
  });
}

function forgetAddresses(stopped: StartedService[]): void {
  const services = new Set(stopped.map((record) => record.service));
  const env = readEnvFile();
  const drop: Record<string, string[]> = {
    kafka: ['KAFKA_BROKERS'],
    redis: ['REDIS_URL'],
    postgres: ['DATABASE_URL'],
    pgbouncer: ['PGBOUNCER_URL', 'PGBOUNCER_ADMIN_URL'],
    alertmanager: ['ALERTMANAGER_URL'],
  };
  const remaining = Object.fromEntries(
    Object.entries(env).filter(([key]) => ![...services].some((service) => drop[service]?.includes(key))),
  );
  writeEnvFile(remaining, envFilePath(), true);
}

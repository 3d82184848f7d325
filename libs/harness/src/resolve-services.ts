import { dockerAnswers } from './docker-probe';
import { readEnvFile } from './env-file';
import { readInfraState } from './infra-state';
import { resolveAlertmanager } from './resolve-alertmanager';
import type { ServiceEnv, StartedService } from './service-record';
import {
  resolveKafka,
  resolvePgBouncer,
  resolvePostgres,
  resolveRedis,
  type ResolveContext,
} from './service-resolvers';
import { stopStarted } from './stop-started';

export interface ResolvedServices {
  env: ServiceEnv;
  /** Where each address came from: env, env-file, container, shared (already on this machine) or started. */
  sources: Record<keyof ServiceEnv, string>;
  /** Services started by this call. */
  started: StartedService[];
}

/**
 * Finds or starts Kafka, Redis, PostgreSQL, PgBouncer and Alertmanager in the documented order: env vars, then a Docker engine via
 * testcontainers, then local processes. Anything started is stopped again if a later service fails.
 */
export async function resolveServices(log: (line: string) => void = () => undefined): Promise<ResolvedServices> {
  const docker = await dockerAnswers();
  if (docker) log('a Docker engine answers: using testcontainers for what is not already running');
  const ctx: ResolveContext = { fileEnv: readEnvFile(), docker, log };
  const started: StartedService[] = [];
  const keep = <T extends { record?: StartedService }>(resolved: T): T => {
    if (resolved.record) started.push(resolved.record);
    return resolved;
  };
  try {
    // Redis and PostgreSQL first: they are usually already on the machine, and probing them while a JVM starts on
    // two cores could time out and start needless private servers. allSettled, not all: a failure must not leave a
    // sibling still starting after we cleaned up.
    const [redis, postgres] = await settleAll([resolveRedis(ctx).then(keep), resolvePostgres(ctx).then(keep)]);
    // The recorded PgBouncer forwards to one database; it is reused only when that database is still the one in use.
    const reusable = postgres.source !== 'started' && readInfraState().pgbouncerTarget === postgres.value;
    const [kafka, pgbouncer, alertmanager] = await settleAll([
      resolveKafka(ctx).then(keep),
      resolvePgBouncer(ctx, postgres.value, reusable).then(keep),
      resolveAlertmanager(ctx).then(keep),
    ]);
    return {
      env: {
        KAFKA_BROKERS: kafka.value,
        REDIS_URL: redis.value,
        DATABASE_URL: postgres.value,
        PGBOUNCER_URL: pgbouncer.value,
        PGBOUNCER_ADMIN_URL: pgbouncer.adminUrl,
        ALERTMANAGER_URL: alertmanager.value,
      },
      sources: {
        KAFKA_BROKERS: kafka.source,
        REDIS_URL: redis.source,
        DATABASE_URL: postgres.source,
        PGBOUNCER_URL: pgbouncer.source,
        PGBOUNCER_ADMIN_URL: pgbouncer.source,
        ALERTMANAGER_URL: alertmanager.source,
      },
      started,
    };
  } catch (error) {
    await Promise.all(started.map(stopStarted));
    throw error;
  }
}

async function settleAll<T extends unknown[]>(promises: [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}

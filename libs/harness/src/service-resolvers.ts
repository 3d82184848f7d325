import fs from 'node:fs';
import path from 'node:path';
import { startKafkaContainer, startPostgresContainer, startRedisContainer } from './containers';
import { startLocalKafka } from './kafka-local';
import { kafkaAnswers } from './kafka-probe';
import { startPgBouncer } from './pgbouncer-local';
import { ensureDatabase, postgresAnswers } from './postgres-probe';
import { startPrivatePostgres } from './postgres-private';
import { startPrivateRedis } from './redis-local';
import { redisAnswers } from './redis-probe';
import { surgeDir } from './repo-root';
import { dirForServiceUser } from './service-user-dir';
import type { StartedService } from './service-record';
import { HarnessError } from './wait-for';

export interface ResolveContext {
  /** Values from .env.local: reused when they still answer. */
  fileEnv: Record<string, string>;
  docker: boolean;
  log: (line: string) => void;
}

export interface Resolved {
  value: string;
  source: 'env' | 'env-file' | 'container' | 'shared' | 'started';
  record?: StartedService;
}

/**
 * Runs a start in a dir of its own, so a start never touches the files of a server still running; the dir goes
 * away again when the start fails (on success, stopping the recorded service removes it).
 */
async function inFreshDir<T>(service: string, start: (dir: string) => Promise<T>): Promise<T> {
  const dir = surgeDir('infra', `${service}-${Date.now().toString(36)}-${process.pid}`);
  try {
    return await start(dir);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** An explicitly set variable must answer: silently replacing it would test against something else than asked. */
async function fromEnv(name: string, answers: (value: string) => Promise<boolean>): Promise<Resolved | undefined> {
  const value = process.env[name];
  if (!value) return undefined;
  if (!(await answers(value)))
    throw new HarnessError(`${name}=${value} does not answer. Fix: start it, or unset ${name}`);
  return { value, source: 'env' };
}

async function fromFile(ctx: ResolveContext, name: string, answers: (v: string) => Promise<boolean>) {
  const value = ctx.fileEnv[name];
  return value && (await answers(value)) ? ({ value, source: 'env-file' } as Resolved) : undefined;
}

export async function resolveKafka(ctx: ResolveContext): Promise<Resolved> {
  const found = (await fromEnv('KAFKA_BROKERS', kafkaAnswers)) ?? (await fromFile(ctx, 'KAFKA_BROKERS', kafkaAnswers));
  if (found) return found;
  if (ctx.docker) return { ...(await startKafkaContainer()), source: 'container' };
  ctx.log('starting a local Kafka broker (KRaft, Maven jars)...');
  return inFreshDir('kafka', async (dir) => {
    const kafka = await startLocalKafka({ dataDir: dir, detached: true });
    const marker = path.join(dir, 'server.properties');
    return {
      value: kafka.brokers,
      source: 'started',
      record: { service: 'kafka', kind: 'process', pid: kafka.pid, marker, dir },
    };
  });
}

export async function resolveRedis(ctx: ResolveContext): Promise<Resolved> {
  const found = (await fromEnv('REDIS_URL', redisAnswers)) ?? (await fromFile(ctx, 'REDIS_URL', redisAnswers));
  if (found) return found;
  if (ctx.docker) return { ...(await startRedisContainer()), source: 'container' };
  const shared = 'redis://127.0.0.1:6379';
  if (await redisAnswers(shared)) return { value: shared, source: 'shared' };
  ctx.log('starting redis-server on a free port...');
  return inFreshDir('redis', async (dir) => {
    const redis = await startPrivateRedis({ dir, detached: true });
    const record: StartedService = { service: 'redis', kind: 'process', pid: redis.pid, marker: `:${redis.port}`, dir };
    return { value: redis.url, source: 'started', record };
  });
}

export async function resolvePostgres(ctx: ResolveContext): Promise<Resolved> {
  const found =
    (await fromEnv('DATABASE_URL', postgresAnswers)) ?? (await fromFile(ctx, 'DATABASE_URL', postgresAnswers));
  if (found) return found;
  if (ctx.docker) return { ...(await startPostgresContainer()), source: 'container' };
  if (await postgresAnswers('postgres://postgres@127.0.0.1:5432/postgres')) {
    await ensureDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'test');
    return { value: 'postgres://postgres@127.0.0.1:5432/test', source: 'shared' };
  }
  ctx.log('no PostgreSQL on 127.0.0.1:5432: starting a private cluster...');
  return inFreshDir('postgres', async (preferred) => {
    // The cluster runs as postgres, who cannot reach a clone inside a mode-700 directory (root's home, `mktemp -d`).
    const dir = dirForServiceUser('postgres', preferred, 'surge-postgres-');
    try {
      const pg = await startPrivatePostgres({ dir });
      return {
        value: pg.url,
        source: 'started',
        record: { service: 'postgres', kind: 'pg_ctl', dataDir: pg.dataDir, dir },
      };
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  });
}

export interface ResolvedPgBouncer extends Resolved {
  adminUrl: string;
}

export async function resolvePgBouncer(
  ctx: ResolveContext,
  databaseUrl: string,
  reusable: boolean,
): Promise<ResolvedPgBouncer> {
  const fromVars = await fromEnv('PGBOUNCER_URL', postgresAnswers);
  if (fromVars) return { ...fromVars, adminUrl: process.env.PGBOUNCER_ADMIN_URL ?? '' };
  const fromEnvFile = reusable ? await fromFile(ctx, 'PGBOUNCER_URL', postgresAnswers) : undefined;
  if (fromEnvFile) return { ...fromEnvFile, adminUrl: ctx.fileEnv.PGBOUNCER_ADMIN_URL ?? '' };
  ctx.log('starting pgbouncer on a free port...');
  // Its files go in a directory of the system's temp dir, not under the clone: as root, pgbouncer runs as the
  // postgres user, who cannot reach a clone inside a mode-700 directory (root's home, `mktemp -d`).
  const bouncer = await startPgBouncer({ databaseUrl, detached: true });
  const record: StartedService = {
    service: 'pgbouncer',
    kind: 'process',
    pid: bouncer.pid,
    marker: bouncer.iniPath,
    dir: bouncer.dir,
  };
  return { value: bouncer.url, adminUrl: bouncer.adminUrl, source: 'started', record };
}

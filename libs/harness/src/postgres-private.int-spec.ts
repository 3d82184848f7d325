import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAnswers } from './postgres-probe';
import { startPrivatePostgres, type PrivatePostgres } from './postgres-private';
import { dirForServiceUser } from './service-user-dir';

describe('startPrivatePostgres', () => {
  let pg: PrivatePostgres;
  let client: Client;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    client = new Client({ connectionString: pg.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await pg?.stop();
  });

  it('runs its own cluster on a free port, not the shared 5432', async () => {
    expect(pg.port).not.toBe(5432);
    const { rows } = await client.query<{ port: string; db: string }>(
      "SELECT current_setting('port') AS port, current_database() AS db",
    );
    expect(rows[0]).toEqual({ port: String(pg.port), db: 'test' });
  });

  it('accepts ALTER SYSTEM and applies it on reload', async () => {
    await client.query("ALTER SYSTEM SET work_mem = '7MB'");
    await client.query('SELECT pg_reload_conf()');
    // The reload signal is asynchronous: a fresh session sees the new value once the postmaster re-read its files.
    let value = '';
    for (let attempt = 0; attempt < 50 && value !== '7MB'; attempt += 1) {
      const probe = new Client({ connectionString: pg.url });
      await probe.connect();
      value = (await probe.query<{ work_mem: string }>('SHOW work_mem')).rows[0]!.work_mem;
      await probe.end();
      if (value !== '7MB') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(value).toBe('7MB');
  });
});

// infra:up's own cluster when no PostgreSQL answers on 5432: for a clone in root's home (mode 700) or under
// `mktemp -d`, initdb, run as postgres, could not enter the clone ("could not change directory").
describe('a private cluster for a clone in a mode-700 directory', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'surge-home-'));
  let dir = '';
  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts where the postgres user can reach it, and answers', async () => {
    fs.chmodSync(home, 0o700);
    const preferred = path.join(home, 'clone', '.surge', 'infra', 'postgres-1');
    fs.mkdirSync(preferred, { recursive: true });
    dir = dirForServiceUser('postgres', preferred, 'surge-postgres-');
    const cluster = await startPrivatePostgres({ dir });
    try {
      expect(await postgresAnswers(cluster.url)).toBe(true);
    } finally {
      await cluster.stop();
    }
  });
});

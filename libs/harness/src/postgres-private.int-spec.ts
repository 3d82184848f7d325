import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivatePostgres, type PrivatePostgres } from './postgres-private';

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

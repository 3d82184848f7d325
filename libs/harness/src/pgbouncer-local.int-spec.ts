import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgBouncer, type LocalPgBouncer } from './pgbouncer-local';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('PgBouncer', () => {
  it('answers queries through PGBOUNCER_URL and SHOW POOLS on PGBOUNCER_ADMIN_URL', async () => {
    const url = process.env.PGBOUNCER_URL!;
    const adminUrl = process.env.PGBOUNCER_ADMIN_URL!;
    expect(url).toMatch(/^postgres(ql)?:\/\//);
    const [row] = await query<{ answer: number }>(url, 'SELECT 41 + 1 AS answer');
    expect(row!.answer).toBe(42);
    const pools = await query<{ database: string; pool_mode: string }>(adminUrl, 'SHOW POOLS');
    expect(pools.some((pool) => pool.database === new URL(url).pathname.slice(1))).toBe(true);
  });

  describe('a private instance (startPgBouncer)', () => {
    let bouncer: LocalPgBouncer;
    beforeAll(async () => {
      bouncer = await startPgBouncer({ databaseUrl: process.env.DATABASE_URL!, defaultPoolSize: 3 });
    });
    afterAll(async () => bouncer?.stop());

    it('forwards to the database in transaction mode with its own settings', async () => {
      const [row] = await query<{ db: string }>(bouncer.url, 'SELECT current_database() AS db');
      expect(row!.db).toBe(new URL(process.env.DATABASE_URL!).pathname.slice(1));
      const config = await query<{ key: string; value: string }>(bouncer.adminUrl, 'SHOW CONFIG');
      const setting = (key: string): string | undefined => config.find((entry) => entry.key === key)?.value;
      expect(setting('pool_mode')).toBe('transaction');
      expect(setting('default_pool_size')).toBe('3');
    });

    it('applies SET default_pool_size on its admin console', async () => {
      await query(bouncer.adminUrl, 'SET default_pool_size = 5');
      const config = await query<{ key: string; value: string }>(bouncer.adminUrl, 'SHOW CONFIG');
      expect(config.find((entry) => entry.key === 'default_pool_size')?.value).toBe('5');
    });

    it('is gone after stop()', async () => {
      const { url } = bouncer;
      await bouncer.stop();
      await expect(query(url, 'SELECT 1')).rejects.toThrow();
    });
  });
});

import { Pool } from 'pg';
import type { AdminStore, RememberedChange } from './admin-store';

/** How long an idempotency key is remembered: far longer than any retry of one change. */
const KEY_RETENTION = '24 hours';

/**
 * The admin settings in the shop's own PostgreSQL schema (through PgBouncer, so every statement stands alone), so
 * every copy behind the proxy sheds the same way. The first answer to a key wins: ON CONFLICT DO NOTHING.
 */
export class PostgresAdminStore implements AdminStore {
  private readonly pool: Pool;

  constructor(
    url: string,
    private readonly schema: string,
  ) {
    this.pool = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000 });
    this.pool.on('error', () => undefined);
  }

  /** After the reservation schema exists (ReservationRepository.ensureSchema), under the same lock. */
  async ensureTables(): Promise<void> {
    const s = this.schema;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`surge-demo-shop:${s}`]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.admin_settings (name text PRIMARY KEY, value double precision NOT NULL,
           updated_at timestamptz NOT NULL DEFAULT now())`,
      );
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.admin_idempotency (key text PRIMARY KEY, fingerprint text NOT NULL,
           status int NOT NULL, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async values(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ name: string; value: number }>(
      `SELECT name, value FROM ${this.schema}.admin_settings`,
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  }

  async set(name: string, value: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.admin_settings (name, value) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [name, value],
    );
  }

  async recall(key: string): Promise<RememberedChange | null> {
    const { rows } = await this.pool.query<{ fingerprint: string; status: number; body: unknown }>(
      `SELECT fingerprint, status, body FROM ${this.schema}.admin_idempotency
       WHERE key = $1 AND created_at > now() - interval '${KEY_RETENTION}'`,
      [key],
    );
    const row = rows[0];
    return row ? { fingerprint: row.fingerprint, response: { status: row.status, body: row.body } } : null;
  }

  async remember(key: string, change: RememberedChange): Promise<void> {
    await this.pool.query(
      `DELETE FROM ${this.schema}.admin_idempotency WHERE created_at < now() - interval '${KEY_RETENTION}'`,
    );
    await this.pool.query(
      `INSERT INTO ${this.schema}.admin_idempotency (key, fingerprint, status, body) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO NOTHING`,
      [key, change.fingerprint, change.response.status, JSON.stringify(change.response.body)],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

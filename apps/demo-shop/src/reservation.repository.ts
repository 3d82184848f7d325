import { Pool } from 'pg';

export type ReserveOutcome = { status: 'reserved'; seat: number } | { status: 'sold-out' } | { status: 'duplicate' };

/**
 * Seats live in PostgreSQL, reached through PgBouncer in transaction mode: every statement is self-contained and
 * schema-qualified, since a session's search_path does not survive from one transaction to the next.
 */
export class ReservationRepository {
  private readonly pool: Pool;

  constructor(
    url: string,
    private readonly schema: string,
    private readonly capacity: number,
    poolSize: number,
  ) {
    this.pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
    // An idle client dropped by PgBouncer must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  /** Several copies start at once: the advisory lock keeps their CREATE IF NOT EXISTS from racing in the catalog. */
  async ensureSchema(): Promise<void> {
    const s = this.schema;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`surge-demo-shop:${s}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.events (id text PRIMARY KEY, capacity int NOT NULL, reserved int NOT NULL DEFAULT 0)`,
      );
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.reservations (id bigserial PRIMARY KEY, event_id text NOT NULL, visitor_id text NOT NULL,
           seat int NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (event_id, visitor_id))`,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** One statement, so taking the seat and recording the buyer commit or fail together. */
  async reserve(eventId: string, visitorId: string): Promise<ReserveOutcome> {
    const s = this.schema;
    try {
      const result = await this.pool.query<{ seat: number }>(
        `WITH seat AS (
           INSERT INTO ${s}.events AS e (id, capacity, reserved) VALUES ($1, $3, 1)
           ON CONFLICT (id) DO UPDATE SET reserved = e.reserved + 1 WHERE e.reserved < e.capacity
           RETURNING reserved)
         INSERT INTO ${s}.reservations (event_id, visitor_id, seat) SELECT $1, $2, reserved FROM seat RETURNING seat`,
        [eventId, visitorId, this.capacity],
      );
      const row = result.rows[0];
      return row ? { status: 'reserved', seat: row.seat } : { status: 'sold-out' };
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return { status: 'duplicate' };
      throw error;
    }
  }

  async availability(eventId: string): Promise<{ capacity: number; reserved: number }> {
    const result = await this.pool.query<{ capacity: number; reserved: number }>(
      `SELECT capacity, reserved FROM ${this.schema}.events WHERE id = $1`,
      [eventId],
    );
    return result.rows[0] ?? { capacity: this.capacity, reserved: 0 };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

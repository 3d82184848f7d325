import { Inject, Injectable } from '@nestjs/common';
import { sha256 } from '@surge/service-kit';
import { AUDIT_LOG_CONFIG, type AuditLogConfig } from '../config/audit-log.config';
import { PgPool } from '../database/pg-pool.provider';

export interface StoredSession {
  tokenSha256: Buffer;
  csrfToken: string;
}

/** Console sessions in PostgreSQL, which the console's host already has: one row each, ended by time or logout. */
@Injectable()
export class ConsoleSessionRepository {
  constructor(
    private readonly pg: PgPool,
    @Inject(AUDIT_LOG_CONFIG) private readonly config: AuditLogConfig,
  ) {}

  private get table(): string {
    return `"${this.config.SURGE_AUDIT_SCHEMA}".console_sessions`;
  }

  async create(sessionId: string, tokenSha256: Buffer, csrfToken: string): Promise<void> {
    // Sign-in is rare, so it is where the rows of ended sessions are swept.
    await this.pg.pool.query(
      `DELETE FROM ${this.table} WHERE last_seen_at < now() - make_interval(secs => $1) OR created_at < now() - make_interval(secs => $2)`,
      [this.config.SURGE_SESSION_IDLE_SECONDS, this.config.SURGE_SESSION_ABSOLUTE_SECONDS],
    );
    await this.pg.pool.query(`INSERT INTO ${this.table} (id_sha256, token_sha256, csrf_token) VALUES ($1, $2, $3)`, [
      sha256(sessionId),
      tokenSha256,
      csrfToken,
    ]);
  }

  /** The session if neither its idle nor its absolute expiry has passed; using it restarts the idle clock. */
  async touch(sessionId: string): Promise<StoredSession | null> {
    const { rows } = await this.pg.pool.query<{ token_sha256: Buffer; csrf_token: string }>(
      `UPDATE ${this.table} SET last_seen_at = now()
       WHERE id_sha256 = $1 AND last_seen_at >= now() - make_interval(secs => $2) AND created_at >= now() - make_interval(secs => $3)
       RETURNING token_sha256, csrf_token`,
      [sha256(sessionId), this.config.SURGE_SESSION_IDLE_SECONDS, this.config.SURGE_SESSION_ABSOLUTE_SECONDS],
    );
    const row = rows[0];
    return row ? { tokenSha256: row.token_sha256, csrfToken: row.csrf_token } : null;
  }

  async delete(sessionId: string): Promise<void> {
    await this.pg.pool.query(`DELETE FROM ${this.table} WHERE id_sha256 = $1`, [sha256(sessionId)]);
  }
}

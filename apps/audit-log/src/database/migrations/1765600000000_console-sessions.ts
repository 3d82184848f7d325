import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * The console's server-side sessions. The id is stored as its SHA-256, so whoever reads the table cannot replay
 * a cookie; `token_sha256` is the hash of the token the operator signed in with, re-checked against the operators
 * in force on every use.
 */
export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`CREATE TABLE console_sessions (
    id_sha256 bytea PRIMARY KEY,
    token_sha256 bytea NOT NULL,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
  )`);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('DROP TABLE console_sessions');
}

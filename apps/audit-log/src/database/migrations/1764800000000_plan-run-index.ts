import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * A plan run is read as one unit: its step decisions and their action results carry the run's id in
 * `payload.plan.runId` (both topics copy it), so one expression index serves `GET /v1/audit/plans/:runId`.
 */
export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(
    "CREATE INDEX events_plan_run_idx ON events ((payload->'plan'->>'runId'), record_time, id) WHERE payload ? 'plan'",
  );
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('DROP INDEX events_plan_run_idx');
}

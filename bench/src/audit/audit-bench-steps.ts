import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '@surge/harness';
import type { Pool } from 'pg';
import { testSigningEnv } from '@surge/signing/testing';

export const BENCH_TOKEN = 'bench-admin-token-0123456789';

export function monthPartitionSql(schema: string, month: Date): string {
  const from = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1));
  const to = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
  const name = `events_y${from.getUTCFullYear()}m${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  return `CREATE TABLE IF NOT EXISTS "${schema}".${name} PARTITION OF "${schema}".events FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`;
}

/** The audit-log as shipped: dist/apps/audit-log/src/main.js in its own process, waited on until ready. */
export async function startAuditLog(
  root: string,
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  fs.mkdirSync(path.join(root, 'test-artifacts'), { recursive: true });
  const log = fs.openSync(path.join(root, 'test-artifacts', 'audit-bench.log'), 'w');
  const child = spawn(process.execPath, [path.join(root, 'dist/apps/audit-log/src/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      ...testSigningEnv('control-plane'),
      SURGE_ADMIN_TOKEN: BENCH_TOKEN,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error('audit-log did not become ready; see test-artifacts/audit-bench.log');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child };
}

export function runMigrateCommand(root: string, databaseUrl: string, schema: string): void {
  const run = spawnSync(process.execPath, [path.join(root, 'dist/apps/audit-log/src/migrate.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SURGE_AUDIT_SCHEMA: schema },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`migrate failed: ${run.stderr}`);
}

interface RowArrays {
  columns: unknown[][];
  count: number;
}

/** Reads rows back as the parallel arrays the baseline inserts, so both paths write byte-identical rows. */
export async function readRows(pool: Pool, schema: string): Promise<RowArrays> {
  const { rows } = await pool.query(
    `SELECT topic, partition, kafka_offset::text AS kafka_offset, record_time, event_type, target_id, target_kind, decision_id, status, policy, payload::text AS payload FROM "${schema}".events`,
  );
  const keys = [
    'topic',
    'partition',
    'kafka_offset',
    'record_time',
    'event_type',
    'target_id',
    'target_kind',
    'decision_id',
    'status',
    'policy',
    'payload',
  ];
  return { columns: keys.map((key) => rows.map((row) => row[key])), count: rows.length };
}

/** The baseline: the same rows, straight into an identical table with multi-row INSERTs of `batch` rows on one connection. */
export async function multiRowInsert(pool: Pool, schema: string, data: RowArrays, batch: number): Promise<number> {
  const client = await pool.connect();
  const started = performance.now();
  try {
    for (let start = 0; start < data.count; start += batch) {
      await client.query(
        `INSERT INTO "${schema}".events (topic, partition, kafka_offset, record_time, event_type, target_id, target_kind, decision_id, status, policy, payload)
         SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::jsonb[])
         ON CONFLICT DO NOTHING`,
        data.columns.map((column) => column.slice(start, start + batch)),
      );
    }
  } finally {
    client.release();
  }
  return (performance.now() - started) / 1000;
}

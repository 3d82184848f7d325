import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, queueKeyEncryptionFile, repoRoot, waitFor } from '@surge/harness';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'demo-e2e-admin-token-0123456789';

interface Summary {
  requests: number;
  peakInFlight: number;
  buyers: { joined: number; admitted: number };
  outcomes: Record<string, number>;
  browse: { ok: number; failed: number };
}

/**
 * The flash sale played against real processes: the virtual queue (on the harness Redis, without Kafka), the
 * LocalPool supervisor with demo-shop copies verifying admission tokens online, and PostgreSQL behind PgBouncer.
 */
describe('npm run demo:surge against the waiting room and the shop', () => {
  const root = repoRoot();
  const run = `e2e${process.pid}`;
  const schema = `surge_demo_${run}`;
  const keyPrefix = `test:demo:${run}:`;
  const children: ChildProcess[] = [];
  const work = mkdtempSync(path.join(tmpdir(), 'surge-demo-'));
  let queueUrl: string;
  let shopUrl: string;

  const startApp = async (entry: string, env: NodeJS.ProcessEnv, readyUrl: string) => {
    const child = spawn(process.execPath, [path.join(root, entry)], {
      env: { ...process.env, SURGE_ADMIN_TOKEN: TOKEN, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    await waitFor(async () => (await fetch(readyUrl)).ok, {
      what: entry,
      fix: 'see its output above',
      timeoutMs: 30_000,
      abortReason: () => (child.exitCode === null ? undefined : `it exited with code ${child.exitCode}`),
    });
  };

  const playDemo = (
    env: NodeJS.ProcessEnv,
  ): { status: number | null; summary: Summary; stdout: string; ms: number } => {
    const summaryFile = path.join(work, `summary-${Date.now()}.json`);
    const started = Date.now();
    const result = spawnSync(process.execPath, [path.join(root, 'dist/tools/demo/src/surge.js')], {
      env: {
        ...process.env,
        SURGE_ADMIN_TOKEN: TOKEN,
        SURGE_QUEUE_URL: queueUrl,
        SURGE_SHOP_URL: shopUrl,
        SURGE_DEMO_SUMMARY_FILE: summaryFile,
        SURGE_DEMO_EVENT_ID: run,
        ...env,
      },
      timeout: 120_000,
    });
    return {
      status: result.status,
      summary: JSON.parse(readFileSync(summaryFile, 'utf8')),
      stdout: result.stdout.toString(),
      ms: Date.now() - started,
    };
  };

  beforeAll(async () => {
    const [queuePort, shopPort, adminPort] = [await freePort(), await freePort(), await freePort()];
    queueUrl = `http://127.0.0.1:${queuePort}`;
    shopUrl = `http://127.0.0.1:${shopPort}`;
    await startApp(
      'dist/apps/virtual-queue/src/main.js',
      {
        PORT: String(queuePort),
        HOST: '127.0.0.1',
        KAFKA_BROKERS: '',
        VQ_KEY_PREFIX: keyPrefix,
        VQ_JOIN_LIMIT_PER_IP: '1000000',
        VQ_KEY_ENCRYPTION_KEY_FILE: queueKeyEncryptionFile(mkdtempSync(path.join(tmpdir(), 'surge-demo-kek-'))),
        VQ_ADMIT_INTERVAL_MS: '100',
      },
      `${queueUrl}/health/ready`,
    );
    await startApp(
      'dist/apps/local-pool/src/main.js',
      {
        SURGE_SHOP_PORT: String(shopPort),
        PORT: String(adminPort),
        SURGE_SHOP_SCHEMA: schema,
        SURGE_QUEUE_URL: queueUrl,
        SURGE_POOL_INITIAL_REPLICAS: '2',
        SURGE_INGEST_URL: '',
      },
      `http://127.0.0.1:${adminPort}/health/ready`,
    );
  });

  afterAll(async () => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null) continue;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const db = new Client({ connectionString: process.env['DATABASE_URL'] });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
    const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('sells seats only to admitted buyers, within its bounds, and stops by itself', async () => {
    const { status, summary, stdout, ms } = playDemo({
      SURGE_DEMO_SCALE: '0.1',
      SURGE_DEMO_GRACE_S: '10',
      SURGE_DEMO_MAX_CONCURRENCY: '16',
      SURGE_DEMO_PROGRESS_S: '1',
    });

    expect(status, stdout).toBe(0);
    expect(stdout).toMatch(/\] peak /);
    expect(ms).toBeLessThan(15_000 + 10_000 + 10_000);
    expect(summary.peakInFlight).toBeLessThanOrEqual(16);
    expect(summary.outcomes['failed']).toBe(0);
    expect(summary.browse.failed).toBe(0);
    expect(summary.outcomes['reserved']).toBeGreaterThan(10);
    expect(summary.buyers.admitted).toBe(summary.outcomes['reserved']);
    const db = new Client({ connectionString: process.env['PGBOUNCER_URL'] });
    await db.connect();
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${schema}.reservations WHERE event_id = $1`, [run]);
    await db.end();
    expect(rows[0].n).toBe(summary.outcomes['reserved']);
  });

  it('refuses a purchase that skips the waiting room', async () => {
    const response = await fetch(`${shopUrl}/reserve`, {
      method: 'POST',
      body: JSON.stringify({ eventId: run, visitorId: 'queue-jumper' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'not_admitted' });
  });

  it('issues no request beyond its budget', async () => {
    const { summary } = playDemo({ SURGE_DEMO_SCALE: '0.05', SURGE_DEMO_GRACE_S: '2', SURGE_DEMO_MAX_REQUESTS: '40' });
    expect(summary.requests).toBe(40);
  });
});

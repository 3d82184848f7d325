import path from 'node:path';
import { envInt, loadConfig, serviceTokenEnv } from '@surge/config';
import { z } from 'zod';

/** An empty variable (as compose files and shells leave them) means unset, not an invalid URL. */
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional());

/** dist/apps/local-pool/src/config → repository root. */
const REPO_ROOT = path.resolve(__dirname, '../../../../..');

/** The LocalPool supervisor's environment, validated once at boot. Copies inherit the rest (PGBOUNCER_URL, SURGE_QUEUE_URL, …). */
export const localPoolEnvSchema = z.object({
  SURGE_ADMIN_TOKEN: serviceTokenEnv.describe(
    'Bearer token of the pool admin API, shared with the LocalPool executor that calls it',
  ),
  PGBOUNCER_URL: z.string().url().describe('PostgreSQL URL the shop copies reserve seats through'),
  HOST: z.string().default('127.0.0.1').describe('Bind address of the proxy and the admin API'),
  SURGE_SHOP_PORT: envInt(8070, 0, 65535).describe('Port of the round-robin proxy in front of the shop copies'),
  PORT: envInt(8071, 0, 65535).describe(
    'Port of the pool admin API (GET/PUT /v1/pool, /health) the LocalPool executor calls',
  ),
  SURGE_POOL_INITIAL_REPLICAS: envInt(1, 0, 64).describe('Copies started at boot'),
  SURGE_POOL_MAX_REPLICAS: envInt(10, 1, 64).describe('Hard ceiling of copies on this host, whatever a decision asks'),
  SURGE_SHOP_ENTRY: z
    .string()
    .default(path.join(REPO_ROOT, 'dist/apps/demo-shop/src/main.js'))
    .describe('Built entry point of the shop each copy runs'),
  SURGE_POOL_READY_TIMEOUT_MS: envInt(20_000, 100).describe('How long a new copy may take to become ready'),
  SURGE_POOL_DRAIN_TIMEOUT_MS: envInt(30_000, 0).describe('How long a copy being removed may keep in-flight requests'),
  SURGE_POOL_STOP_GRACE_MS: envInt(10_000, 100).describe('SIGTERM to SIGKILL delay for a drained copy'),
  SURGE_INGEST_URL: optionalUrl.describe('metrics-ingest base URL the shop figures are posted to every interval'),
  SURGE_INGEST_TOKEN: z.string().optional().describe('Bearer token for metrics-ingest, when it requires one'),
  SURGE_SHOP_TARGET: z.string().min(1).default('demo/shop').describe('Target id the shop figures are reported under'),
  SURGE_METRICS_INTERVAL_MS: envInt(1000, 100).describe('Reporting period of the shop figures'),
  SURGE_METRICS_WINDOW_S: envInt(5, 1, 300).describe(
    'Seconds of requests the rate, p95 and error rate are computed over',
  ),
});

export type LocalPoolConfig = z.output<typeof localPoolEnvSchema>;

export function loadLocalPoolConfig(env: NodeJS.ProcessEnv = process.env): LocalPoolConfig {
  return loadConfig('local-pool', localPoolEnvSchema, env);
}

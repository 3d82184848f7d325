import { envInt, loadConfig } from '@surge/config';
import { DEFAULT_TOKEN_AUDIENCE } from '@surge/queue-core';
import { z } from 'zod';

/** An empty variable (as compose files and shells leave them) means unset, not an invalid URL. */
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional());

const PLACEHOLDER = /^(change-?me|replace-?me|placeholder|todo|secret|token|example|x+|<.*>)$/i;

/** Unset turns the admin API off; a token that is set must be a real one, as every Surge service's is. */
const adminToken = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .min(16, 'at least 16 characters (e.g. `openssl rand -hex 32`)')
    .refine((v) => !PLACEHOLDER.test(v), 'a placeholder, not a token')
    .optional(),
);

/** The demo ticket shop's environment, validated once at boot. */
export const shopEnvSchema = z.object({
  PGBOUNCER_URL: z.string().url().describe('PostgreSQL URL the shop reserves seats through (PgBouncer in the demo)'),
  PORT: envInt(0, 0, 65535).describe('HTTP port; 0 picks a free one (the pool supervisor learns it over IPC)'),
  HOST: z.string().default('127.0.0.1').describe('HTTP bind address'),
  SURGE_SHOP_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('surge_demo')
    .describe('PostgreSQL schema holding the events and reservations tables'),
  SURGE_SHOP_EVENT_CAPACITY: envInt(100_000, 1).describe('Seats of an event created on its first reservation'),
  SURGE_SHOP_DB_POOL: envInt(5, 1, 100).describe('Client connections one copy opens to PgBouncer'),
  SURGE_SHOP_WORK_MS: envInt(3, 0, 1000).describe('CPU time spent per request, standing in for rendering a page'),
  SURGE_QUEUE_URL: optionalUrl.describe('Virtual-queue base URL; when set, /reserve requires a valid admission token'),
  SURGE_QUEUE_ROOM: z.string().default('tickets').describe('Room whose admission tokens /reserve accepts'),
  SURGE_QUEUE_AUDIENCE: z
    .string()
    .min(1)
    .default(DEFAULT_TOKEN_AUDIENCE)
    .describe("This shop's origin as the queue names it in tokens (aud); tokens for another audience are refused"),
  SURGE_SHOP_ADMIN_TOKEN: adminToken.describe(
    'Bearer token of the admin API (/admin/rate-limits/:endpoint, /admin/degradation); unset turns it off',
  ),
  SURGE_SHOP_RATE_LIMIT: envInt(1000, 1, 1_000_000).describe(
    'Requests per second each endpoint of one copy takes until the admin API sets another limit',
  ),
  SURGE_SHOP_SLOTS: envInt(0, 0, 1000).describe(
    'Requests one copy serves at a time, queueing the rest (the load model); 0 serves every request at once',
  ),
  SURGE_SHOP_SERVICE_MS: envInt(0, 0, 10_000).describe('Service time of one request in a slot (the load model)'),
  SURGE_SHOP_RECOMMENDATIONS_MS: envInt(0, 0, 10_000).describe(
    'Extra service time of an event page for its recommendations, saved at degradation level 1 and above',
  ),
  SURGE_SHOP_FAULT_ERROR_PERCENT: envInt(0, 0, 100).describe(
    'Share of event pages answered 500 whatever the capacity (the demo fault) until the admin API sets another',
  ),
});

export type ShopConfig = z.output<typeof shopEnvSchema>;

export function loadShopConfig(env: NodeJS.ProcessEnv = process.env): ShopConfig {
  return loadConfig('demo-shop', shopEnvSchema, env);
}

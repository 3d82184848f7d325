import {
  adminEnv,
  databaseEnv,
  envBoolean,
  envInt,
  httpEnv,
  kafkaEnv,
  loadConfig,
  requireOperatorCredential,
  signingEnv,
} from '@surge/config';
import { z } from 'zod';

export const AUDIT_LOG_CONFIG = Symbol('AUDIT_LOG_CONFIG');

// The schema name is interpolated into DDL, so only plain lower-case identifiers are accepted.
const sqlIdentifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier');

export const auditLogEnv = z.object({
  ...kafkaEnv,
  ...signingEnv,
  ...databaseEnv,
  ...adminEnv,
  ...httpEnv(8080),
  SURGE_AUDIT_SCHEMA: sqlIdentifier.default('surge_audit').describe('PostgreSQL schema holding the audit tables'),
  SURGE_AUDIT_GROUP_ID: z
    .string()
    .min(1)
    .default('surge-audit-log')
    .describe('Kafka consumer group of the audit writer'),
  SURGE_AUDIT_RETENTION_MONTHS: envInt(12, 1, 1200).describe(
    'Monthly partitions older than this many months are dropped',
  ),
  SURGE_AUDIT_PARTITIONS_AHEAD: envInt(3, 1, 36).describe('Monthly partitions created ahead of the current month'),
  SURGE_AUDIT_PUBLIC_READ: envBoolean(false).describe(
    'Open the read-only audit API and stream without the admin token',
  ),
  SURGE_AUDIT_MIGRATE_ON_START: envBoolean(true).describe('Run the schema migrations at start-up'),
  SURGE_AUDIT_CONSUME: envBoolean(true).describe('Consume the Surge topics into the audit table'),
  SURGE_AUDIT_DB_POOL_SIZE: envInt(10, 1, 200).describe('PostgreSQL connections of the audit-log pool'),
  SURGE_SESSION_SECURE_COOKIE: envBoolean(false).describe(
    'Always mark the console session cookie Secure; it is Secure anyway for a request that came over HTTPS',
  ),
  SURGE_SESSION_IDLE_SECONDS: envInt(1800, 1, 86_400).describe('A console session unused this long ends'),
  SURGE_SESSION_ABSOLUTE_SECONDS: envInt(43_200, 1, 30 * 86_400).describe(
    'A console session ends this long after sign-in, however active',
  ),
  SURGE_TRUST_PROXY: envBoolean(false).describe(
    "Trust the proxy's X-Forwarded-Proto and X-Forwarded-Host to tell whether the console was reached over HTTPS, and at which origin",
  ),
  SURGE_CONSOLE_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim().replace(/\/$/, ''))
        .filter(Boolean),
    )
    .describe(
      "Comma-separated origins (https://console.example.com) a cookie-authenticated change may come from; defaults to the console's own",
    ),
  SURGE_CONSOLE_DIR: z
    .string()
    .optional()
    .describe('Directory of the console static files; defaults to apps/console/public'),
});
export type AuditLogConfig = z.output<typeof auditLogEnv>;

export function loadAuditLogConfig(env: NodeJS.ProcessEnv = process.env): AuditLogConfig {
  // The console and its control API must open to someone: the operators file or the admin token.
  return loadConfig('audit-log', auditLogEnv.superRefine(requireOperatorCredential), env);
}

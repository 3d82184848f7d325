/** Names of the services the harness provides, as keys of the env file. */
export interface ServiceEnv {
  KAFKA_BROKERS: string;
  REDIS_URL: string;
  DATABASE_URL: string;
  PGBOUNCER_URL: string;
  PGBOUNCER_ADMIN_URL: string;
  ALERTMANAGER_URL: string;
}

export const SERVICE_ENV_KEYS: (keyof ServiceEnv)[] = [
  'KAFKA_BROKERS',
  'REDIS_URL',
  'DATABASE_URL',
  'PGBOUNCER_URL',
  'PGBOUNCER_ADMIN_URL',
  'ALERTMANAGER_URL',
];

/** What the harness started, recorded so that `infra:down` (another process) can stop exactly that and nothing else. */
export type StartedService = (
  | { service: string; kind: 'process'; pid: number; marker: string; dir?: string }
  | { service: string; kind: 'pg_ctl'; dataDir: string; dir: string }
  | { service: string; kind: 'container'; containerId: string }
) & {
  /** Set when a vitest run started it: the last test run to finish stops those, never what `infra:up` started. */
  startedByTestRun?: boolean;
};

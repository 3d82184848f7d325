import { placeholderSecretReason } from '@surge/config';

export interface ComposeServiceShape {
  command?: string[] | string;
  environment?: Record<string, string | number | null>;
  ports?: (string | number | { published?: string | number; host_ip?: string; target: number })[];
  profiles?: string[];
  secrets?: (string | { source: string; uid?: string; gid?: string; mode?: number })[];
}

/** The edges people and reporters outside the host reach: ingest, the waiting room and the console. */
export const COMPOSE_EDGES: Readonly<Record<string, number>> = {
  'metrics-ingest': 8081,
  'virtual-queue': 8090,
  'audit-log': 8080,
};

/**
 * The connections and credentials each Surge service is given, and no more. The executors share one targets file,
 * which names the PgBouncer admin console and the Redis, and an executor refuses to boot without every connection
 * its targets file names: so each of them has both.
 */
export const COMPOSE_CREDENTIALS_OF: Readonly<Record<string, readonly string[]>> = {
  'metrics-ingest': ['SURGE_INGEST_TOKEN'],
  'rules-engine': ['REDIS_URL', 'SURGE_ADMIN_TOKEN'],
  'executor-k8s': ['REDIS_URL', 'PGBOUNCER_ADMIN_URL'],
  'executor-database': ['REDIS_URL', 'PGBOUNCER_ADMIN_URL'],
  'executor-cache': ['REDIS_URL', 'PGBOUNCER_ADMIN_URL'],
  'virtual-queue': ['REDIS_URL', 'SURGE_ADMIN_TOKEN'],
  'audit-log': ['DATABASE_URL', 'SURGE_ADMIN_TOKEN'],
  notifier: ['REDIS_URL'],
};

const CREDENTIAL = /PASSWORD|TOKEN|SECRET|REDISCLI_AUTH|^(REDIS|DATABASE|PGBOUNCER_ADMIN)_URL$/;
// `${NAME:-default}` or `${NAME-default}`: a value that applies when the operator set nothing.
const DEFAULTED = /\$\{([A-Z0-9_]+):?-([^}]*)\}/g;
const REQUIRED = (name: string) => new RegExp(`\\$\\{${name}:\\?[^}]+\\}`);

const isLoopback = (host: string) => host === '127.0.0.1' || host === '::1' || host === '[::1]' || host === 'localhost';

/** Each published port of a service as [host address, host port]; an unpublished (container-only) entry is skipped. */
function publishedPorts(service: ComposeServiceShape): { host: string; port: string }[] {
  return (service.ports ?? []).flatMap((entry) => {
    if (typeof entry === 'object')
      return [{ host: entry.host_ip ?? '', port: String(entry.published ?? entry.target) }];
    const parts = String(entry).split(':');
    if (parts.length === 1) return [{ host: '', port: parts[0]! }];
    return [{ host: parts.length > 2 ? parts.slice(0, -2).join(':') : '', port: parts.at(-2)! }];
  });
}

function credentialProblems(name: string, service: ComposeServiceShape): string[] {
  const problems: string[] = [];
  for (const [variable, raw] of Object.entries(service.environment ?? {})) {
    if (!CREDENTIAL.test(variable) || raw === null) continue;
    const value = String(raw);
    for (const [, source, fallback] of value.matchAll(DEFAULTED))
      if (CREDENTIAL.test(source!) && fallback)
        problems.push(`${name}: ${variable} defaults ${source} to "${fallback}"`);
    const literal = value.replace(/\$\{[^}]*\}/g, '');
    const password = /:\/\/[^:/@]*:([^@]+)@/.exec(literal)?.[1];
    const secret = password ?? (value.includes('${') || /_URL$/.test(variable) ? null : value);
    if (secret && placeholderSecretReason(secret) !== null) problems.push(`${name}: ${variable} is a known default`);
    else if (secret) problems.push(`${name}: ${variable} is written in the file`);
  }
  return problems;
}

/** Every way the compose file breaks Surge's deployment rules; empty when it keeps them all. */
export function composeSecurityProblems(services: Record<string, ComposeServiceShape>): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    for (const { host, port } of publishedPorts(service)) {
      const edge = COMPOSE_EDGES[name] !== undefined && String(COMPOSE_EDGES[name]) === port;
      // A tool of the operators (Grafana) may listen on this host's loopback, never on its public addresses.
      const operatorTool = service.profiles !== undefined && isLoopback(host);
      if (!edge && !operatorTool) problems.push(`${name}: publishes port ${host ? `${host}:` : ''}${port}`);
    }
    problems.push(...credentialProblems(name, service));
    for (const secret of service.secrets ?? []) {
      if (typeof secret === 'string' || secret.mode === undefined || (secret.mode & 0o077) !== 0)
        problems.push(`${name}: secret ${typeof secret === 'string' ? secret : secret.source} is readable by others`);
    }
    const allowed = COMPOSE_CREDENTIALS_OF[name];
    if (allowed) {
      for (const variable of Object.keys(service.environment ?? {}))
        if (CREDENTIAL.test(variable) && !allowed.includes(variable))
          problems.push(`${name}: is given ${variable}, which it does not use`);
    }
  }
  problems.push(...dataStoreProblems(services));
  return problems;
}

function dataStoreProblems(services: Record<string, ComposeServiceShape>): string[] {
  const problems: string[] = [];
  const kafka = services['kafka']?.environment ?? {};
  const listeners = `${kafka['KAFKA_LISTENERS'] ?? ''},${kafka['KAFKA_ADVERTISED_LISTENERS'] ?? ''}`;
  for (const listener of listeners.split(',').filter(Boolean)) {
    const [, listenerName, host] = /^([A-Z_]+):\/\/([^:]*):\d+$/.exec(listener) ?? [];
    if (!listenerName || !['PLAINTEXT', 'CONTROLLER', 'SASL_PLAINTEXT', 'SASL_SSL', 'SSL'].includes(listenerName))
      problems.push(`kafka: listener ${listener} is not one of the network's`);
    else if (host && host !== 'kafka') problems.push(`kafka: listener ${listener} is advertised outside the network`);
  }
  const redis = services['redis'];
  const command = [redis?.command ?? []].flat().join(' ');
  const redisPassword = String(redis?.environment?.['REDISCLI_AUTH'] ?? '');
  if (!/--requirepass\s+"?\$\$REDISCLI_AUTH"?/.test(command) || !REQUIRED('REDIS_PASSWORD').test(redisPassword))
    problems.push('redis: does not require the password REDIS_PASSWORD');
  const postgres = services['postgres']?.environment ?? {};
  if (!REQUIRED('POSTGRES_PASSWORD').test(String(postgres['POSTGRES_PASSWORD'] ?? '')))
    problems.push('postgres: POSTGRES_PASSWORD is not required from the environment');
  if (String(postgres['POSTGRES_HOST_AUTH_METHOD'] ?? '') === 'trust') problems.push('postgres: trusts every client');
  return problems;
}

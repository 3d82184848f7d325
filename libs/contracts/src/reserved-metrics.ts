/**
 * The settings each kind of target reports about itself, by kind. These names are a target's observed state:
 * its executor publishes them on the observed-state topic, and they are reserved on the samples topic, which any
 * ingest client writes, so no client can tell the rules engine how large a target is.
 * A read-back companion (Kubernetes' `status_replicas`, the local pool's `replicas_desired`) is listed with the
 * setting it confirms. A PostgresDatabase may also set any reloadable server setting its targets file names;
 * those names cannot be listed here, which is why the rules engine never takes a policy's own setting from a
 * sample either.
 */
export const TARGET_KIND_SETTINGS = {
  Deployment: ['replicas', 'status_replicas'],
  StatefulSet: ['replicas', 'status_replicas'],
  LocalPool: ['replicas', 'replicas_desired'],
  PgBouncerPool: ['default_pool_size', 'max_client_conn', 'reserve_pool_size', 'pool_size'],
  PostgresDatabase: ['database_connection_limit', 'role_connection_limit'],
  RedisCache: ['maxmemory', 'ttl_profile'],
  VirtualQueue: ['maxActive', 'admitPerMinute', 'mode'],
  // Every setting of an HttpEndpoint (an app's admin API) is named by its targets file, with bounds of its own.
  HttpEndpoint: [],
} as const satisfies Record<string, readonly string[]>;

/** Every reserved name, whatever the kind: one list for metrics-ingest and the rules engine. */
export const RESERVED_METRICS: ReadonlySet<string> = new Set(Object.values(TARGET_KIND_SETTINGS).flat());

export function isReservedMetric(metric: string): boolean {
  return RESERVED_METRICS.has(metric);
}

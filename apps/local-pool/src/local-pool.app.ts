import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { PoolAdminServer } from './admin/pool-admin.server';
import type { LocalPoolConfig } from './config/local-pool.config';
import { PoolMetricsReporter } from './metrics/pool-metrics.reporter';
import { RequestWindow } from './metrics/request-window';
import { PoolSupervisor } from './pool/pool.supervisor';
import { RoundRobinProxy } from './proxy/round-robin.proxy';

export interface RunningLocalPool {
  supervisor: PoolSupervisor;
  proxyUrl: string;
  adminUrl: string;
  /** Drains every copy, then closes the proxy and the admin API. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`));
  });
}

/**
 * Wires the supervisor, the proxy, the reporter and the admin API; used by main.ts and by the integration spec.
 * `env` is the environment each copy of the shop is started with: main.ts passes its own.
 */
export async function startLocalPool(config: LocalPoolConfig, env: NodeJS.ProcessEnv): Promise<RunningLocalPool> {
  const supervisor = new PoolSupervisor({
    spawn: { entry: config.SURGE_SHOP_ENTRY, env, readyTimeoutMs: config.SURGE_POOL_READY_TIMEOUT_MS },
    drainTimeoutMs: config.SURGE_POOL_DRAIN_TIMEOUT_MS,
    stopGraceMs: config.SURGE_POOL_STOP_GRACE_MS,
    restartBackoffMs: 1000,
  });
  const window = new RequestWindow(config.SURGE_METRICS_WINDOW_S);
  const proxy = new RoundRobinProxy(supervisor, window);
  const reporter = new PoolMetricsReporter(
    {
      ingestUrl: config.SURGE_INGEST_URL,
      ingestToken: config.SURGE_INGEST_TOKEN,
      target: config.SURGE_SHOP_TARGET,
      intervalMs: config.SURGE_METRICS_INTERVAL_MS,
    },
    window,
    proxy,
    supervisor,
  );
  const admin = new PoolAdminServer(supervisor, reporter, {
    adminToken: config.SURGE_ADMIN_TOKEN,
    maxReplicas: config.SURGE_POOL_MAX_REPLICAS,
  });
  const adminUrl = await listen(admin.server, config.PORT, config.HOST);
  const proxyUrl = await listen(proxy.server, config.SURGE_SHOP_PORT, config.HOST);
  reporter.start();
  await supervisor.scaleTo(Math.min(config.SURGE_POOL_INITIAL_REPLICAS, config.SURGE_POOL_MAX_REPLICAS));
  return {
    supervisor,
    proxyUrl,
    adminUrl,
    close: async () => {
      reporter.stop();
      await supervisor.close();
      await proxy.close();
      await new Promise<void>((resolve) => admin.server.close(() => resolve()));
    },
  };
}

import path from 'node:path';
import { portOf, type PortPlan } from './port-plan';

/**
 * What the services need to find each other on one machine, and the demo's settings. Every value can be
 * overridden from the environment `npm start` runs in.
 */
export function demoEnvironment(root: string, ports: PortPlan, cacheRedisUrl: string): NodeJS.ProcessEnv {
  const local = (port: number) => `http://127.0.0.1:${port}`;
  return {
    SURGE_POLICIES_DIR: path.join(root, 'examples/demo'),
    SURGE_TARGETS_FILE: path.join(root, 'examples/targets/demo.yaml'),
    VQ_ROOMS_FILE: path.join(root, 'examples/rooms/demo.yaml'),
    SURGE_INGEST_URL: local(portOf(ports, 'metrics-ingest')),
    SURGE_QUEUE_URL: local(portOf(ports, 'virtual-queue')),
    SURGE_LOCALPOOL_ADMIN_URL: local(portOf(ports, 'local-pool')),
    SURGE_SHOP_PORT: String(ports.shop),
    SURGE_SHOP_URL: local(ports.shop),
    // Each alert the notifier delivers to Alertmanager links back to the console.
    SURGE_CONSOLE_URL: local(portOf(ports, 'audit-log')),
    SURGE_DEMO_CACHE_REDIS_URL: cacheRedisUrl,
    // executor-http may call the shop's admin API (through the proxy) and nothing else.
    SURGE_HTTP_ALLOWED_BASE_URLS: local(ports.shop),
    // Every demo buyer joins from 127.0.0.1, so the per-IP join limit that protects a real sale is lifted.
    VQ_JOIN_LIMIT_PER_IP: '1000000',
    // Admission tokens name the shop as their audience; the shop verifies (and redeems) only tokens for itself.
    VQ_TOKEN_AUDIENCE: local(ports.shop),
    SURGE_QUEUE_AUDIENCE: local(ports.shop),
    // The shop's load model (README, "The demo's response plan"): 4 slots per copy, an event page 20 ms plus 30 ms
    // of recommendations, so one copy serves 80 pages/s, 200 with recommendations shed: below the sale's peak of
    // 120/s, which more copies or degradation absorb.
    SURGE_SHOP_SLOTS: '4',
    SURGE_SHOP_SERVICE_MS: '20',
    SURGE_SHOP_RECOMMENDATIONS_MS: '30',
  };
}

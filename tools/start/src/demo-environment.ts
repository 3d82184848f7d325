import path from 'node:path';
import { SHOP_PROXY_PORT } from '@surge/harness';

/**
 * What the services need to find each other on one machine, and the demo's settings. Every value can be
 * overridden from the environment `npm start` runs in.
 */
export function demoEnvironment(root: string, portOffset: number, cacheRedisUrl: string): NodeJS.ProcessEnv {
  const local = (port: number) => `http://127.0.0.1:${port + portOffset}`;
  return {
    SURGE_POLICIES_DIR: path.join(root, 'examples/demo'),
    SURGE_TARGETS_FILE: path.join(root, 'examples/targets/demo.yaml'),
    VQ_ROOMS_FILE: path.join(root, 'examples/rooms/demo.yaml'),
    SURGE_INGEST_URL: local(8081),
    SURGE_QUEUE_URL: local(8090),
    SURGE_LOCALPOOL_ADMIN_URL: local(8071),
    SURGE_SHOP_PORT: String(SHOP_PROXY_PORT + portOffset),
    SURGE_SHOP_URL: local(SHOP_PROXY_PORT),
    SURGE_DEMO_CACHE_REDIS_URL: cacheRedisUrl,
    // Every demo buyer joins from 127.0.0.1, so the per-IP join limit that protects a real sale is lifted.
    VQ_JOIN_LIMIT_PER_IP: '1000000',
  };
}

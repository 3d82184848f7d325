import type { AddressInfo } from 'node:net';
import { callEveryOperation, statusesOf } from '@surge/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolMetricsReporter } from '../metrics/pool-metrics.reporter';
import { RequestWindow } from '../metrics/request-window';
import { PoolSupervisor } from '../pool/pool.supervisor';
import { RoundRobinProxy } from '../proxy/round-robin.proxy';
import { POOL_ADMIN_OPENAPI } from './pool-admin.openapi';
import { PoolAdminServer } from './pool-admin.server';

const TOKEN = 'pool-admin-openapi-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

/**
 * The hand-written document against the real admin server (a pool of no copies, so nothing is spawned): every
 * documented operation answers a documented status, and what is not documented is not served.
 */
describe('the local pool admin API matches its OpenAPI document', () => {
  let server: PoolAdminServer;
  let url: string;

  beforeAll(async () => {
    const supervisor = new PoolSupervisor({
      spawn: { entry: '/nonexistent/shop.js', env: {}, readyTimeoutMs: 1000 },
      drainTimeoutMs: 100,
      stopGraceMs: 100,
      restartBackoffMs: 100,
    });
    const window = new RequestWindow(5);
    const reporter = new PoolMetricsReporter(
      { ingestUrl: undefined, ingestToken: undefined, target: 'demo/shop', intervalMs: 1000 },
      window,
      new RoundRobinProxy(supervisor, window),
      supervisor,
    );
    server = new PoolAdminServer(supervisor, reporter, { adminToken: TOKEN, maxReplicas: 0 });
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.server.close(() => resolve())));

  it('answers every documented operation with a documented status', async () => {
    const answers = await callEveryOperation(url, POOL_ADMIN_OPENAPI, {
      'GET /health/live': [{ path: '/health/live' }],
      'GET /health/ready': [{ path: '/health/ready' }],
      'GET /openapi.json': [{ path: '/openapi.json' }],
      'GET /v1/pool': [{ path: '/v1/pool' }],
      'PUT /v1/pool': [
        { path: '/v1/pool?wait=true', headers: auth, body: { replicas: 0 } },
        { path: '/v1/pool', headers: auth, body: { replicas: 1 } },
        { path: '/v1/pool', body: { replicas: 0 } },
      ],
    });
    for (const answer of answers) expect(answer.documented, answer.operation).toContain(String(answer.status));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 202, 400, 401]);
  });

  it('serves this very document at GET /openapi.json', async () => {
    expect(await (await fetch(`${url}/openapi.json`)).json()).toEqual(JSON.parse(JSON.stringify(POOL_ADMIN_OPENAPI)));
  });

  it('serves nothing it does not document', async () => {
    const statuses = await statusesOf(url, [
      ['GET', '/v1/pools'],
      ['GET', '/admin'],
      ['POST', '/v1/pool'],
      ['DELETE', '/v1/pool'],
    ]);
    expect(statuses.slice(0, 2)).toEqual([404, 404]);
    // A documented path with an undocumented method: refused, never served.
    expect(statuses.slice(2)).toEqual([405, 405]);
  });
});

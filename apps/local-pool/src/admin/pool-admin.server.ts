import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { PoolMetricsReporter } from '../metrics/pool-metrics.reporter';
import type { PoolSupervisor } from '../pool/pool.supervisor';
import { hasBearer } from './bearer';
import { POOL_ADMIN_OPENAPI } from './pool-admin.openapi';

export interface AdminOptions {
  adminToken: string;
  maxReplicas: number;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.length > 4096) throw new Error('body too large');
  }
  return JSON.parse(text || '{}');
}

/**
 * The pool's control surface: what the LocalPool executor reads and sets. PUT is absolute (`replicas: N`), so a
 * retried call changes nothing; `?wait=true` answers only once the pool has reached N.
 */
export class PoolAdminServer {
  readonly server: Server;

  constructor(
    private readonly supervisor: PoolSupervisor,
    private readonly reporter: PoolMetricsReporter,
    private readonly options: AdminOptions,
  ) {
    this.server = createServer(
      (req, res) =>
        void this.handle(req, res).catch((error: Error) =>
          send(res, 500, { error: 'internal', message: error.message }),
        ),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://pool');
    if (req.method === 'GET' && url.pathname === '/health/live') return send(res, 200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/health/ready') {
      const status = this.supervisor.status();
      const ready = status.ready >= Math.min(1, status.desired);
      return send(res, ready ? 200 : 503, {
        status: ready ? 'ready' : 'starting',
        ready: status.ready,
        desired: status.desired,
      });
    }
    if (req.method === 'GET' && url.pathname === '/openapi.json') return send(res, 200, POOL_ADMIN_OPENAPI);
    if (url.pathname !== '/v1/pool')
      return send(res, 404, { error: 'not_found', message: `no route ${req.method} ${url.pathname}` });
    if (req.method === 'GET') return send(res, 200, { ...this.supervisor.status(), figures: this.reporter.latest });
    if (req.method !== 'PUT') return send(res, 405, { error: 'method_not_allowed', message: 'GET or PUT' });
    if (!hasBearer(req, this.options.adminToken))
      return send(res, 401, {
        error: 'unauthorized',
        message: 'missing or invalid Authorization: Bearer <SURGE_ADMIN_TOKEN>',
      });
    let body: unknown;
    try {
      body = await readBody(req);
    } catch (error) {
      return send(res, 400, { error: 'bad_request', message: (error as Error).message });
    }
    const replicas = (body as { replicas?: unknown }).replicas;
    if (
      typeof replicas !== 'number' ||
      !Number.isInteger(replicas) ||
      replicas < 0 ||
      replicas > this.options.maxReplicas
    ) {
      return send(res, 400, {
        error: 'bad_request',
        message: 'invalid pool size',
        issues: [{ path: 'replicas', message: `must be an integer from 0 to ${this.options.maxReplicas}` }],
      });
    }
    const done = this.supervisor.scaleTo(replicas);
    if (url.searchParams.get('wait') === 'true') await done;
    else done.catch(() => undefined);
    send(res, 202, this.supervisor.status());
  }
}

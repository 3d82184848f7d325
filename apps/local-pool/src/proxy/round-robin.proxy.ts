import { Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { RequestWindow } from '../metrics/request-window';
import type { PoolSupervisor } from '../pool/pool.supervisor';

/**
 * The fixed front door of the pool. Each request goes to the next ready copy; the copy's in-flight count is taken
 * in the same tick as the pick, so a drain that starts afterwards always waits for it.
 */
export class RoundRobinProxy {
  readonly server: Server;
  private inflight = 0;
  // Keep-alive to the copies: a new TCP connection per request would cost more than the shop's own work.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  constructor(
    private readonly supervisor: PoolSupervisor,
    private readonly window: RequestWindow,
  ) {
    this.server = createServer((req, res) => this.forward(req, res));
  }

  inflightRequests(): number {
    return this.inflight;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      this.agent.destroy();
    });
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const replica = this.supervisor.pick();
    const started = performance.now();
    if (!replica) {
      this.window.record(performance.now() - started, true);
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ error: 'no_ready_replica', message: 'the pool has no ready copy of the shop' }));
      return;
    }
    replica.proxyInflight += 1;
    this.inflight += 1;
    let done = false;
    const finish = (isError: boolean) => {
      if (done) return;
      done = true;
      replica.proxyInflight -= 1;
      this.inflight -= 1;
      this.window.record(performance.now() - started, isError);
    };
    const upstream = request(
      {
        host: '127.0.0.1',
        port: replica.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
        agent: this.agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'bad_gateway', message: `${replica.id}: ${error.message}` }));
      } else res.destroy();
    });
    // The one place a request ends, whichever way: answered, failed upstream, or abandoned by the client.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      finish(!res.writableFinished || res.statusCode >= 500);
    });
    req.pipe(upstream);
  }
}
